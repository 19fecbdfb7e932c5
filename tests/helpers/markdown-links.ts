/**
 * Finds the relative links of Markdown files that lead nowhere: a file that does not exist, or a `#fragment`
 * that names no heading of its target. Links inside code (fenced blocks, `inline code`) are text, not links;
 * web addresses are not checked (the archive is offline, and so are its tests).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

interface BrokenLink {
  file: string;
  target: string;
  reason: string;
}

const FENCED_BLOCK = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm;
const INLINE_CODE = /`[^`\n]*`/g;
const LINK = /!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function withoutCode(markdown: string): string {
  return markdown.replace(FENCED_BLOCK, '').replace(INLINE_CODE, '');
}

function anchorsOf(markdownFile: string): Set<string> {
  // Only fenced blocks go: a heading's inline code is part of its anchor.
  const headings = readFileSync(markdownFile, 'utf8')
    .replace(FENCED_BLOCK, '')
    .split('\n')
    .filter((line) => /^#{1,6}\s/.test(line))
    .map((line) => headingAnchor(line.replace(/^#+\s+/, '')));
  return new Set(headings);
}

export function brokenLinks(markdownFile: string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const match of withoutCode(readFileSync(markdownFile, 'utf8')).matchAll(LINK)) {
    const target = match[1]!;
    if (EXTERNAL.test(target)) continue;
    const [path = '', fragment] = target.split('#', 2);
    const file = path === '' ? markdownFile : resolve(dirname(markdownFile), decodeURI(path));
    if (!existsSync(file)) {
      broken.push({ file: markdownFile, target, reason: `${file} does not exist` });
      continue;
    }
    if (fragment === undefined) continue;
    if (!file.endsWith('.md') || statSync(file).isDirectory()) {
      broken.push({ file: markdownFile, target, reason: 'a #fragment on something that is not a Markdown file' });
    } else if (!anchorsOf(file).has(fragment)) {
      broken.push({ file: markdownFile, target, reason: `no heading of ${file} has the anchor #${fragment}` });
    }
  }
  return broken;
}
