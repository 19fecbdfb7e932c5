/**
 * Proves the type-aware promise rules of eslint.config.mjs fire in every part of the code they cover:
 * a promise nobody awaits, or an async callback where a void one is expected, fails lint.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });
const PROMISE_RULES = new Set(['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises', '@typescript-eslint/await-thenable']);

/** The type checker only knows files of a tsconfig project, so `code` is linted in place of a real file (which stays untouched). */
async function promiseErrors(code: string, existingFile: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, existingFile) });
  const messages = result?.messages ?? [];
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.severity === 2 && m.ruleId !== null && PROMISE_RULES.has(m.ruleId)).map((m) => m.ruleId);
}

const FLOATING = 'async function save(): Promise<void> {}\nsave();\nexport {};\n';
const MISUSED = 'export const run = (items: number[]) => items.forEach(async (item) => { await Promise.resolve(item); });\n';
const AWAITED = 'async function save(): Promise<void> {}\nexport async function run() {\n  await save();\n  void save().catch(() => undefined);\n}\n';

describe('type-aware promise lint', () => {
  it.each(['src/main/core/api.ts', 'src/renderer/main.tsx', 'tests/helpers/sessions.ts', 'bench/search.ts'])('fails a floating promise in %s', async (file) => {
    expect(await promiseErrors(FLOATING, file)).toEqual(['@typescript-eslint/no-floating-promises']);
  });

  it('fails an async callback where a void one is expected', async () => {
    expect(await promiseErrors(MISUSED, 'src/main/core/api.ts')).toEqual(['@typescript-eslint/no-misused-promises']);
  });

  it('fails awaiting a value that is not a promise', async () => {
    expect(await promiseErrors('export async function f() {\n  return await 1;\n}\n', 'src/main/core/api.ts')).toEqual(['@typescript-eslint/await-thenable']);
  });

  it('accepts an awaited promise and one voided with its rejection handled', async () => {
    expect(await promiseErrors(AWAITED, 'src/main/core/api.ts')).toEqual([]);
  });
});
