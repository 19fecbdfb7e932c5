/**
 * The anchor file of one archive, `<archiveId>.jsonl` in the anchor folder: one signed head per line,
 * only ever appended to (open for append, write the line, fsync), so recording one costs a write and a sync.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { assertArchiveId } from './anchor-folder';
import { isAnchor, recordSignatureValid, type Anchor } from './signed-head';

export function anchorFilePath(folder: string, archiveId: string): string {
  assertArchiveId(archiveId);
  return join(folder, `${archiveId}.jsonl`);
}

export function appendAnchor(folder: string, anchor: Anchor): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const fd = openSync(anchorFilePath(folder, anchor.archiveId), 'a', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(anchor)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface AnchorFileProblem {
  line: number;
  message: string;
}

export interface AnchorFileContent {
  /** Lines that are well-formed, name this archive and carry a valid signature of `publicKey`. */
  anchors: Anchor[];
  problems: AnchorFileProblem[];
}

/** Reads every line; `publicKey` null (no key in the folder) makes every line unverifiable. */
export function readAnchorFile(folder: string, archiveId: string, key: { keyId: string; publicKey: string } | null): AnchorFileContent {
  let text: string;
  try {
    text = readFileSync(anchorFilePath(folder, archiveId), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { anchors: [], problems: [] };
    throw error;
  }
  const anchors: Anchor[] = [];
  const problems: AnchorFileProblem[] = [];
  const lines = text.split('\n');
  // A file ends with a newline; anything after the last one is a line a crash cut short.
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const problem = (message: string) => problems.push({ line: index + 1, message });
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return problem('is not a complete anchor (cut short or overwritten)');
    }
    if (!isAnchor(parsed)) return problem('is not a well-formed anchor');
    if (parsed.archiveId !== archiveId) return problem(`names another archive (${parsed.archiveId})`);
    if (!key) return problem('cannot be verified: the anchor key is missing');
    if (parsed.keyId !== key.keyId) return problem(`is signed by another key (${parsed.keyId}, expected ${key.keyId})`);
    if (!recordSignatureValid(parsed, key.publicKey)) return problem('has an invalid signature');
    anchors.push(parsed);
  });
  return { anchors, problems };
}
