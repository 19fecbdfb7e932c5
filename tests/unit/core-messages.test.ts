/**
 * One language at a time (issue 19): every sentence the core sends carries a message key that both UI
 * languages translate, read out of the sources rather than listed here, and the renderer words errors,
 * refused fields, job names and durations in the user's language from the key, falling back to the core's
 * English only for a key it does not know.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiClient } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import { SlipVaultError } from '../../src/shared/errors';
import { JOB_PHASES } from '../../src/shared/events';
import { DOCUMENT_STATUSES, ROLES } from '../../src/shared/model';
import { coreErrorText, coreMessageText, fieldIssueText, jobName } from '../../src/renderer/i18n/core-messages';
import { durationText } from '../../src/renderer/i18n/durations';
import en from '../../src/renderer/i18n/en.json';
import zh from '../../src/renderer/i18n/zh-CN.json';
import { clientAs } from '../helpers/sessions';
import { tempDir, writeJpeg } from '../helpers/fixtures';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const coreSources = [...sourceFiles(join(ROOT, 'src', 'main')), ...sourceFiles(join(ROOT, 'src', 'shared'))].map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/**
 * Every key the core names: `.withMessage('key'`, `coreMessage('key'` (wherever the formatter broke the line),
 * a payload's literal `messageKey: 'key'`, and the `'tables.…'` keys read-table.ts hands its fileError helper.
 */
const usedKeys = new Map<string, string>();
for (const { path, text } of coreSources) {
  for (const match of text.matchAll(/(?:\.withMessage|\bcoreMessage)\(\s*'([^']+)'/g)) usedKeys.set(match[1]!, path);
  for (const match of text.matchAll(/'(tables\.\w+)'|\bmessageKey: '([^']+)'/g)) usedKeys.set((match[1] ?? match[2])!, path);
}

/**
 * Where the call whose arguments start at `from` ends (just after its closing parenthesis): counts brackets,
 * skipping string and template text but not the code inside `${…}`.
 */
function callEnd(text: string, from: number): number {
  const stack: string[] = ['('];
  let index = from;
  while (stack.length > 0) {
    const char = text[index]!;
    const top = stack[stack.length - 1];
    if (top === "'" || top === '"' || top === '`') {
      if (char === '\\') index += 1;
      else if (char === top) stack.pop();
      else if (top === '`' && char === '$' && text[index + 1] === '{') {
        stack.push('${');
        index += 1;
      }
    } else if (char === "'" || char === '"' || char === '`') stack.push(char);
    else if (char === '(' || char === '[' || char === '{') stack.push(char);
    else if (char === ')' || char === ']' || char === '}') stack.pop();
    index += 1;
  }
  return index;
}

type Tree = { [key: string]: string | Tree };
function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

async function translator(language: 'zh-CN' | 'en'): Promise<TFunction> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { 'zh-CN': { translation: zh }, en: { translation: en } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  return instance.t;
}

describe('message keys the core sends', () => {
  it('are found in the sources', () => {
    // The scan itself must see the keys: an empty or tiny map would let a broken regex pass everything.
    expect(usedKeys.size).toBeGreaterThan(200);
    expect(usedKeys.get('documents.notFound')).toBe('src/main/core/documents/document-service.ts');
    expect(usedKeys.get('internal.unexpected')).toBe('src/main/core/error-payload.ts');
    expect(usedKeys.get('tables.notUtf8')).toBe('src/main/core/tables/read-table.ts');
  });

  it('each have a zh-CN and an en translation', () => {
    const missing = [...usedKeys].filter(([key]) => lookup(zh, `core.${key}`) === undefined || lookup(en, `core.${key}`) === undefined);
    expect(missing.map(([key, path]) => `core.${key} (${path})`)).toEqual([]);
  });

  it('leave no SlipVaultError that reaches a user without one', () => {
    const bare: string[] = [];
    for (const { path, text } of coreSources.filter((source) => !source.path.startsWith('src/main/cli/'))) {
      for (const match of text.matchAll(/new SlipVaultError\(/g)) {
        const end = callEnd(text, match.index + match[0].length);
        // SlipVaultError.fromPayload rebuilds an error that crossed a transport; every other one names its key.
        if (path === 'src/shared/errors.ts' || /^\s*\.withMessage\(/.test(text.slice(end))) continue;
        bare.push(`${path}:${text.slice(0, match.index).split('\n').length}`);
      }
    }
    expect(bare).toEqual([]);
  });

  it('name every job phase, status and role in both languages', () => {
    for (const phase of JOB_PHASES) for (const tree of [zh, en]) expect(lookup(tree, `jobs.phase.${phase}`), phase).toBeDefined();
    for (const status of DOCUMENT_STATUSES) for (const tree of [zh, en]) expect(lookup(tree, `status.${status}`), status).toBeDefined();
    for (const role of ROLES) for (const tree of [zh, en]) expect(lookup(tree, `roles.${role}`), role).toBeDefined();
  });
});

describe('the renderer words them', () => {
  let zhT: TFunction;
  let enT: TFunction;
  beforeAll(async () => {
    zhT = await translator('zh-CN');
    enT = await translator('en');
  });

  it('from the key, with code-like parameters as labels', () => {
    const error = new SlipVaultError('CONFLICT', 'SV-2026-000001 is filed, not in the inbox.').withMessage('inbox.notInInbox', {
      archiveNo: 'SV-2026-000001',
      status: 'filed',
    });
    expect(coreErrorText(zhT, error)).toBe('SV-2026-000001 的状态是“已归档”，不在收件箱中。');
    expect(coreErrorText(enT, error)).toBe('SV-2026-000001 is Filed, not in the inbox.');
    const missing = new SlipVaultError('FILING_INCOMPLETE', 'x').withMessage('filing.incomplete', {
      archiveNo: 'SV-2026-000002',
      fields: 'customer, signedDate',
    });
    expect(coreErrorText(zhT, missing)).toBe('SV-2026-000002 还不能归档：缺少客户、签署日期。请补填，或填写放行原因。');
  });

  it("words why a server cannot be reached in the user's language", () => {
    const refused = new SlipVaultError('SERVER_UNREACHABLE', 'x').withMessage('server.unreachable', { server: 'svs://10.0.0.5:7443', cause: 'ETIMEDOUT' });
    expect(coreErrorText(zhT, refused)).toBe('无法连接 SlipVault 服务器 svs://10.0.0.5:7443：服务器未及时响应。');
    expect(coreErrorText(enT, refused)).toBe('Cannot reach the SlipVault server svs://10.0.0.5:7443: it did not answer in time.');
    const other = new SlipVaultError('SERVER_UNREACHABLE', 'x').withMessage('server.unreachable', { server: 'svs://10.0.0.5:7443', cause: 'other' });
    expect(coreErrorText(zhT, other)).toBe('无法连接 SlipVault 服务器 svs://10.0.0.5:7443：对方不是 SlipVault 服务器，或 TLS 握手失败。');
  });

  it("falls back to the code's heading and the core's English for a key it does not know", () => {
    const error = new SlipVaultError('NOT_FOUND', 'There is no widget 7.').withMessage('widgets.notFound', { id: 7 });
    expect(coreErrorText(zhT, error)).toBe('未找到：There is no widget 7.');
    expect(coreMessageText(zhT, { key: 'widgets.gone', params: {}, text: 'The widget is gone.' })).toBe('The widget is gone.');
  });

  it('words refused fields by field and issue, not by zod English', () => {
    expect(fieldIssueText(zhT, { field: 'amount', issue: 'invalid_format' })).toBe('金额：须为非负数，最多两位小数，如 1234.50');
    expect(fieldIssueText(zhT, { field: 'notes', issue: 'too_big', limit: 20000 })).toBe('备注：太长或太大（至多 20000）');
    expect(fieldIssueText(enT, { field: 'title', issue: 'too_small', limit: 1 })).toBe('Title: cannot be empty');
  });

  it('names jobs and durations in the language', () => {
    expect(jobName(zhT, 'ocr')).toBe('文字识别');
    expect(jobName(zhT, 'something-new')).toBe('处理中');
    expect(durationText(zhT, 103_000)).toBe('1 分 43 秒');
    expect(durationText(enT, 103_000)).toBe('1 min 43 s');
    expect(durationText(zhT, 4_400)).toBe('4 秒');
    expect(durationText(zhT, 3_720_000)).toBe('1 小时 2 分');
  });
});

async function ok<M extends Method>(client: ApiClient, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = await client.invoke(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.message}`);
  return result.value as OutputOf<M>;
}

describe('through the contract', () => {
  let archive: Archive;
  let clerk: ApiClient;
  let zhT: TFunction;

  beforeAll(async () => {
    archive = await initArchive(join(tempDir(), 'archive'), { actor: 'i18n-test' });
    clerk = await clientAs(createApi(archive), archive, 'clerk');
    zhT = await translator('zh-CN');
  });
  afterAll(() => archive.close());

  it('a refused input carries its fields, and nothing is stored', async () => {
    const archiveNo = (await ok(clerk, 'documents:import', { paths: [await writeJpeg(tempDir(), 'slip.jpg')] })).imported[0]!.document.archiveNo;
    const result = await clerk.invoke('documents:edit', { ref: archiveNo, changes: { amount: '12,80', signedDate: '2026-02-30' } });
    if (result.ok) throw new Error('the edit was expected to be refused');
    expect(result.error).toMatchObject({ code: 'VALIDATION', messageKey: 'input.invalid' });
    expect(result.error.message).toMatch(/^Invalid input for documents:edit: /);
    const text = coreErrorText(zhT, result.error);
    expect(text).toMatch(/^输入未被接受：/);
    expect(text).toContain('金额：须为非负数，最多两位小数，如 1234.50');
    expect(text).toContain('签署日期：须为真实日期，格式 年-月-日，如 2026-03-05');
    expect((await ok(clerk, 'documents:get', { ref: archiveNo })).currentVersion).toBe(1);
  });

  it('a refusal deep in the core arrives with its key and parameters', async () => {
    const result = await clerk.invoke('documents:get', { ref: 'SV-2026-999999' });
    if (result.ok) throw new Error('expected NOT_FOUND');
    expect(result.error).toMatchObject({ code: 'NOT_FOUND', messageKey: 'documents.notFound', params: { ref: 'SV-2026-999999' } });
    expect(coreErrorText(zhT, result.error)).toBe('档案中没有单据 SV-2026-999999。');
  });
});
