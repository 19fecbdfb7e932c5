/**
 * The repository refers to nothing outside itself: a fresh clone has no ../shared folder beside it, so a
 * `../shared` in any file must lead to something inside the checkout (src/shared, from a sibling folder) —
 * except the benchmark and test datasets (../shared/datasets/…), which stay outside because of their size
 * and are skipped, saying so, when absent. The design notes that once lived there are docs/architecture.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
/** Not ours to check: installed packages, build output, git's own files. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'release', '.git', 'coverage', 'test-results']);
const TEXT_FILES = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.md', '.sh', '.yml', '.yaml', '.html', '.css', '.sql']);
const SHARED_REFERENCE = /(?:\.\.\/)+shared(?:\/[\w.@-]+)*\/?/g;
const DESIGN_NOTES = /DESIGN\.md|DESIGN rule|DESIGN:/;
/** Tests whose strings are code placed, for the test, in another folder: this one and the layering lint's. */
const FIXTURE_FILES = new Set([__filename, join(root, 'tests', 'unit', 'layering.test.ts')]);

function textFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : textFiles(path);
    return entry.isFile() && TEXT_FILES.has(extname(entry.name)) ? [path] : [];
  });
}

/** An import names a module without its extension; a glob stops at its first wildcard. */
function existsInCheckout(path: string): boolean {
  if (relative(root, path).startsWith('..')) return false;
  return ['', '.ts', '.tsx', '.json', '/index.ts'].some((suffix) => existsSync(path + suffix));
}

/** `../shared…` references in a file that lead out of the checkout and are not datasets. */
function outsideReferences(file: string, text: string): string[] {
  return [...text.matchAll(SHARED_REFERENCE)]
    .map((match) => match[0])
    .filter((reference) => !/(?:^|\/)shared\/datasets(?:\/|$)/.test(reference))
    .filter((reference) => !existsInCheckout(resolve(dirname(file), reference)))
    .map((reference) => `${relative(root, file)}: ${reference}`);
}

describe('the repository is self-contained', () => {
  const files = textFiles(root).filter((file) => !FIXTURE_FILES.has(file));

  it('tells an import of src/shared and a dataset from a reference out of the checkout', () => {
    const renderer = join(root, 'src', 'renderer', 'x.ts');
    expect(outsideReferences(renderer, "import type { Method } from '../shared/contract';")).toEqual([]);
    expect(outsideReferences(join(root, 'bench', 'x.mjs'), '// reads ../shared/datasets/receipts')).toEqual([]);
    expect(outsideReferences(join(root, 'README.md'), 'The full architecture is in `../shared/DESIGN.md`.')).toEqual([
      'README.md: ../shared/DESIGN.md',
    ]);
  });

  it('no file points to ../shared except the datasets', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => outsideReferences(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('no file points to the design notes that lived outside the repository', () => {
    const offenders = files.filter((file) => DESIGN_NOTES.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });
});
