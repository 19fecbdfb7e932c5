/**
 * What the archive's log keeps of a call: its name, user, duration and code, and an input with everything but
 * ids and switches redacted. Real calls carry a password, a new password, a backup passphrase, OCR text and a
 * customer name; none of them may reach the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { archiveLogFolder, LOG_FILE } from '../../src/main/core/logging/log-folders';
import { readRecentEntries } from '../../src/main/core/logging/read-log';
import { REDACTED, redactInput } from '../../src/main/core/logging/redact';
import { callOk, refusalOf } from '../helpers/api-calls';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { clientAs, TEST_PASSWORD } from '../helpers/sessions';

const NEW_PASSWORD = 'clerk-Pa55word-never-logged';
const PASSPHRASE = 'tide lantern velvet orchard 42';
const OCR_TEXT = '送货单 合计 1200.50 ocr-words-never-logged';
const CUSTOMER = '深圳保密客户有限公司';
const SECRET_KEY = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';

let archive: Archive;
let api: Api;
let admin: ApiClient;

beforeAll(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { program: 'logs redaction test' });
  api = createApi(archive);
  admin = await clientAs(api, archive, 'admin', 'li.na');
});

afterAll(async () => {
  await api.dispose();
  archive.close();
});

describe('the call log', () => {
  it('holds no password, passphrase, key, OCR text or document field after real calls that carried them', async () => {
    const { imported } = await callOk(admin, 'documents:import', { paths: [await writeJpeg(tempDir(), 'slip.jpg', 60, 90)] });
    const ref = imported[0]!.document.archiveNo;
    await callOk(admin, 'users:create', { username: 'clerk-wang', role: 'clerk', password: NEW_PASSWORD });
    expect((await refusalOf(api.connect(), 'auth:login', { username: 'clerk-wang', password: `${NEW_PASSWORD}-wrong` })).code).toBe('UNAUTHENTICATED');
    const pageId = (await callOk(admin, 'documents:get', { ref })).pages[0]!.pageId;
    await callOk(admin, 'pages:setText', { ref, pageId, text: OCR_TEXT });
    await callOk(admin, 'documents:edit', { ref, changes: { customer: CUSTOMER }, reason: `from ${CUSTOMER}` });
    await callOk(admin, 'search:query', { query: CUSTOMER });
    const target = tempDir('slipvault-log-backup-');
    await callOk(admin, 'backup:create', { target, passphrase: PASSPHRASE });
    expect((await refusalOf(admin, 'backup:verify', { target, identities: [SECRET_KEY] })).code).not.toBe('INTERNAL');

    const file = join(archiveLogFolder(archive.dir), LOG_FILE);
    const text = readFileSync(file, 'utf8');
    for (const secret of [TEST_PASSWORD, NEW_PASSWORD, PASSPHRASE, OCR_TEXT, CUSTOMER, SECRET_KEY, 'AGE-SECRET-KEY']) expect(text).not.toContain(secret);

    const entries = readRecentEntries(file, 100);
    const lineOf = (call: string) => entries.find((entry) => entry.call === call);
    expect(lineOf('auth:login')).toMatchObject({ msg: 'call', input: { username: 'li.na', password: REDACTED } });
    expect(entries.find((entry) => entry.call === 'auth:login' && entry.msg === 'call failed')).toMatchObject({
      code: 'UNAUTHENTICATED',
      input: { username: 'clerk-wang', password: REDACTED },
    });
    expect(lineOf('users:create')).toMatchObject({ user: 'li.na', input: { username: 'clerk-wang', role: 'clerk', password: REDACTED } });
    expect(lineOf('pages:setText')).toMatchObject({ input: { ref, pageId, text: REDACTED } });
    expect(lineOf('documents:edit')).toMatchObject({ input: { ref, changes: { customer: REDACTED }, reason: REDACTED } });
    expect(lineOf('backup:create')).toMatchObject({ msg: 'call', input: { target: REDACTED, passphrase: REDACTED } });
    expect(lineOf('backup:verify')).toMatchObject({ msg: 'call failed', input: { identities: [REDACTED] } });
    for (const entry of entries.filter((line) => line.msg === 'call')) expect(entry.ms).toEqual(expect.any(Number));
  });
});

describe('redactInput', () => {
  it('keeps ids, numbers and switches under known keys and nothing else, whatever the nesting', () => {
    expect(
      redactInput({
        ref: 'SV-2026-000001',
        pageIds: [3, 1, 2],
        limit: 50,
        full: true,
        token: 'abc',
        nested: { password: 'p', version: 'text under a kept key is kept', deeper: [{ passphrase: 'q' }] },
        paths: Array.from({ length: 25 }, (_, index) => `/home/li/${index}.jpg`),
      }),
    ).toEqual({
      ref: 'SV-2026-000001',
      pageIds: [3, 1, 2],
      limit: 50,
      full: true,
      token: REDACTED,
      nested: { password: REDACTED, version: 'text under a kept key is kept', deeper: [{ passphrase: REDACTED }] },
      paths: [...Array.from({ length: 20 }, () => REDACTED), '… 5 more'],
    });
  });

  it('redacts an input that is not an object, and bounds a kept value', () => {
    expect(redactInput('password')).toBe(REDACTED);
    expect(redactInput({ ref: { text: 'x' } })).toEqual({ ref: { text: REDACTED } });
    expect((redactInput({ ref: 'x'.repeat(500) }) as { ref: string }).ref).toHaveLength(101);
  });
});
