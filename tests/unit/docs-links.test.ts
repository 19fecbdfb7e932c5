/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file exists and a #fragment names
 * one of its headings. The checker itself is tried on a broken file first, so a checker that finds
 * nothing cannot pass for documentation that is whole.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenLinks, headingAnchor } from '../helpers/markdown-links';

const root = join(__dirname, '..', '..');
const documentation = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name)),
];

describe('documentation links', () => {
  it('finds a missing file, a missing heading and a fragment on a picture, and ignores code and web links', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-links-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'other.md'), '# Other\n\n## The `slipvault` command line (CLI)\n');
    writeFileSync(join(dir, 'picture.png'), '');
    writeFileSync(
      join(dir, 'README.md'),
      [
        '# Title',
        '[fine](docs/other.md) [fine too](docs/other.md#the-slipvault-command-line-cli) [here](#title)',
        '[gone](docs/missing.md) [no heading](docs/other.md#nowhere) ![pic](picture.png#x)',
        '`[code](nowhere.md)` [web](https://example.com/x.md)',
        '```',
        '[fenced](nowhere-either.md)',
        '```',
      ].join('\n'),
    );
    const found = brokenLinks(join(dir, 'README.md')).map((link) => link.target);
    expect(found).toEqual(['docs/missing.md', 'docs/other.md#nowhere', 'picture.png#x']);
  });

  it('makes anchors the way GitHub does', () => {
    expect(headingAnchor('Audit trail: what it proves')).toBe('audit-trail-what-it-proves');
    expect(headingAnchor('Document viewer (Pages tab)')).toBe('document-viewer-pages-tab');
    expect(headingAnchor('Audit chain, anchors and proof packages')).toBe('audit-chain-anchors-and-proof-packages');
  });

  it('README.md and docs/ link only to what exists', () => {
    expect(documentation.length).toBeGreaterThan(5);
    expect(documentation.flatMap((file) => brokenLinks(file))).toEqual([]);
  });
});
