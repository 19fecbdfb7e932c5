/**
 * Proves the layering rules of docs/architecture.md are enforced: eslint.config.mjs forbids the imports and
 * globals each layer must not use, and the real core/shared sources never import electron.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LAYERING_RULES = new Set(['no-restricted-imports', 'no-restricted-globals', 'no-restricted-syntax']);

// The layering rules are syntactic and these snippets lint as files that do not exist; the type-aware promise
// rules need a real file in a tsconfig project (tests/unit/lint-promises.test.ts covers them), so they are off here.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
      '@typescript-eslint/await-thenable': 'off',
    },
  },
});

/** Lint `code` as if it lived at `filePath` (relative to the repo root; the file need not exist). */
async function layeringErrors(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  expect(result, `ESLint returned no result for ${filePath}`).toBeDefined();
  const messages = result?.messages ?? [];
  // A fatal parse error would make every "no error" assertion vacuous.
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.severity === 2 && m.ruleId !== null && LAYERING_RULES.has(m.ruleId));
}

describe('eslint layering rules', () => {
  it('forbids Node builtins in src/shared', async () => {
    const errors = await layeringErrors("import fs from 'node:fs';\nexport const a = fs;\n", 'src/shared/x.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.ruleId).toBe('no-restricted-imports');
    expect(errors[0]?.message).toMatch(/Layering: src\/shared/);

    const bare = await layeringErrors("import path from 'path';\nexport const a = path;\n", 'src/shared/x.ts');
    expect(bare).toHaveLength(1);
  });

  it('forbids electron in src/main/core', async () => {
    const errors = await layeringErrors("import { app } from 'electron';\nexport const a = app;\n", 'src/main/core/x.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.ruleId).toBe('no-restricted-imports');
    expect(errors[0]?.message).toMatch(/only src\/main\/shell may import electron/);
  });

  it('forbids electron in src/main/cli and src/main/host, also via require() and import()', async () => {
    expect(await layeringErrors("import { app } from 'electron';\nexport const a = app;\n", 'src/main/cli/x.ts')).toHaveLength(1);
    expect(await layeringErrors("import { ipcMain } from 'electron/main';\nexport const a = ipcMain;\n", 'src/main/host/x.ts')).toHaveLength(1);
    expect(await layeringErrors("export const a = import('electron');\n", 'src/main/core/x.ts')).toHaveLength(1);
  });

  it('forbids electron in src/shared', async () => {
    const errors = await layeringErrors("import { app } from 'electron';\nexport const a = app;\n", 'src/shared/x.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.ruleId).toBe('no-restricted-imports');
  });

  it('forbids DOM globals in src/shared', async () => {
    const errors = await layeringErrors('window.alert(1);\n', 'src/shared/x.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.ruleId).toBe('no-restricted-globals');
  });

  it('forbids src/shared reaching up into src/main or src/renderer', async () => {
    expect(await layeringErrors("export { a } from '../main/core/archive';\n", 'src/shared/x.ts')).toHaveLength(1);
    expect(await layeringErrors("export { a } from '../renderer/app';\n", 'src/shared/x.ts')).toHaveLength(1);
  });

  it('forbids electron, Node builtins and src/main in src/renderer', async () => {
    const code = [
      "import { ipcRenderer } from 'electron';",
      "import fs from 'node:fs';",
      "import { openArchive } from '../main/core/archive';",
      "import { CONTRACT } from '../shared/contract';",
      'export const a = [ipcRenderer, fs, openArchive, CONTRACT];',
      '',
    ].join('\n');
    expect(await layeringErrors(code, 'src/renderer/x.tsx')).toHaveLength(3);
  });

  it('allows electron in src/main/shell', async () => {
    const code = "import { app } from 'electron';\nimport { BlobStore } from '../core/store/blobs';\nexport const a = [app, BlobStore];\n";
    expect(await layeringErrors(code, 'src/main/shell/x.ts')).toEqual([]);
  });

  it('forbids opening or serving the archive in src/main/shell: the owner process does', async () => {
    const code = [
      "import { openArchive } from '../core/archive';",
      "import { openSession } from '../host/session';",
      "import { serveSession } from '../owner/server';",
      "import { lastingLink } from '../owner/link';",
      'export const a = [openArchive, openSession, serveSession, lastingLink];',
      '',
    ].join('\n');
    const errors = await layeringErrors(code, 'src/main/shell/main.ts');
    expect(errors).toHaveLength(4);
    expect(errors.every((error) => /never opens the archive in its main process/.test(error.message))).toBe(true);
  });

  it('accepts a clean src/shared file', async () => {
    const code = "import { z } from 'zod';\nexport const a = z.string();\n";
    const [result] = await eslint.lintText(code, { filePath: path.join(root, 'src/shared/x.ts') });
    expect(result?.messages).toEqual([]);
  });
});

describe('sources on disk', () => {
  const ELECTRON_IMPORT =
    /(?:\bfrom\s*['"]electron(?:\/[^'"]*)?['"])|(?:\bimport\s*['"]electron(?:\/[^'"]*)?['"])|(?:\b(?:require|import)\s*\(\s*['"]electron(?:\/[^'"]*)?['"]\s*\))/;

  function sourceFiles(dir: string): string[] {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return []; // the directory does not exist yet
    }
    return entries.flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return sourceFiles(full);
      return /\.(?:[cm]?[jt]sx?)$/.test(name) ? [full] : [];
    });
  }

  it('finds the regex sound', () => {
    expect(ELECTRON_IMPORT.test("import { app } from 'electron';")).toBe(true);
    expect(ELECTRON_IMPORT.test('import "electron";')).toBe(true);
    expect(ELECTRON_IMPORT.test("const { app } = require('electron')")).toBe(true);
    expect(ELECTRON_IMPORT.test("await import('electron/main')")).toBe(true);
    expect(ELECTRON_IMPORT.test("import { x } from 'electron-builder';")).toBe(false);
  });

  it('has no electron import in src/main/core or src/shared', () => {
    const files = [...sourceFiles(path.join(root, 'src/main/core')), ...sourceFiles(path.join(root, 'src/shared'))];
    expect(files.length).toBeGreaterThan(0); // src/shared is always there
    const offenders = files.filter((file) => ELECTRON_IMPORT.test(readFileSync(file, 'utf8'))).map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});
