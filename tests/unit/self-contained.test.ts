/**
 * The repository refers to nothing outside itself: a fresh clone has no `shared` folder beside it, so a
 * relative path to a `shared` folder in any file must lead to something inside the checkout (src/shared,
 * from a sibling folder) — except the benchmark and test datasets (../shared/datasets/…), which stay outside
 * because of their size and are skipped, saying so, when absent. The design notes that once lived beside the
 * checkout are docs/architecture.md now.
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
/** The layering lint's test holds code it lints as if that code lived in another folder. */
const FIXTURE_FILES = new Set([join(root, 'tests', 'unit', 'layering.test.ts')]);

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

/** References to a `shared` folder in a file that lead out of the checkout and are not datasets. */
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
    expect(outsideReferences(renderer, `import type { Method } from '${['..', 'shared', 'contract'].join('/')}';`)).toEqual([]);
    expect(outsideReferences(join(root, 'bench', 'x.mjs'), '// reads ../shared/datasets/receipts')).toEqual([]);
    // Spelled in parts, so that this file is not itself a reference out of the checkout.
    const designNotes = ['..', 'shared', 'DESIGN.md'].join('/');
    expect(outsideReferences(join(root, 'README.md'), `The full architecture is in \`${designNotes}\`.`)).toEqual([`README.md: ${designNotes}`]);
  });

  it('no file points to a shared folder outside the checkout except the datasets', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => outsideReferences(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('no file points to the design notes that lived outside the repository', () => {
    // This file names the notes to look for them.
    const offenders = files.filter((file) => file !== __filename && DESIGN_NOTES.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });
});
