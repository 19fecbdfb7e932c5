/** The audit screen's pure pieces: filters as typed → the core's filters, actions and details in words. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { READ_ACTIONS } from '../../src/main/core/audit/read-actions';
import { VIEW_ACTIONS } from '../../src/main/core/audit/record-view';
import { EMPTY_FILTERS, checkFilters, exportFileName } from '../../src/renderer/audit/filters';
import { KNOWN_ACTIONS, actionText, detailsText } from '../../src/renderer/audit/event-text';
import type { AuditEvent } from '../../src/shared/model';

const strings = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'renderer', 'i18n', name), 'utf8')) as object;

beforeAll(async () => {
  await i18next.init({
    resources: { en: { translation: strings('en.json') }, 'zh-CN': { translation: strings('zh-CN.json') } },
    lng: 'en',
    interpolation: { escapeValue: false },
  });
});

function event(action: string, details: Record<string, unknown>): AuditEvent {
  return {
    seq: 7,
    at: '2026-03-05T01:00:00.000Z',
    actor: '王芳',
    action,
    targetType: 'document',
    targetId: 'SV-2026-000001',
    details,
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
  };
}

describe('audit filters as typed', () => {
  it('sends only what is filled in, days as local midnights with the last day included', () => {
    expect(checkFilters(EMPTY_FILTERS)).toEqual({ ok: true, filters: {} });
    const check = checkFilters({ user: ' 王芳 ', action: 'document.*', document: 'sv-2026-000001', from: '2026-03-03', to: '2026-03-05' });
    expect(check).toEqual({
      ok: true,
      filters: {
        user: '王芳',
        action: 'document.*',
        document: 'sv-2026-000001',
        since: new Date(2026, 2, 3).toISOString(),
        until: new Date(2026, 2, 6).toISOString(),
      },
    });
    // One day is from its midnight to the next.
    const oneDay = checkFilters({ ...EMPTY_FILTERS, from: '2026-12-31', to: '2026-12-31' });
    expect(oneDay.ok && [oneDay.filters.since, oneDay.filters.until]).toEqual([new Date(2026, 11, 31).toISOString(), new Date(2027, 0, 1).toISOString()]);
  });

  it('names the field the core would refuse', () => {
    expect(checkFilters({ ...EMPTY_FILTERS, document: 'SV-26-1' })).toEqual({ ok: false, invalid: ['document'] });
    expect(checkFilters({ ...EMPTY_FILTERS, from: '2026-03-06', to: '2026-03-01' })).toEqual({ ok: false, invalid: ['range'] });
    expect(checkFilters({ ...EMPTY_FILTERS, user: 'u'.repeat(201), document: '12x' })).toEqual({ ok: false, invalid: ['user', 'document'] });
  });

  it('names an export after the minute it was made', () => {
    expect(exportFileName(new Date(2026, 2, 5, 9, 7))).toBe('slipvault-audit-20260305-0907.csv');
  });
});

describe('audit events in words', () => {
  it('has a phrase in both languages for every action the core writes, recorded reads included', () => {
    const written = [
      ...READ_ACTIONS,
      ...Object.values(VIEW_ACTIONS),
      'document.import',
      'document.edit',
      'document.page.rotate',
      'settings.update',
      'backup.prune',
      'user.login',
      'user.login-refused',
      'user.reset-password',
      'call.forbidden',
    ];
    for (const action of written) expect(KNOWN_ACTIONS, action).toContain(action);
    for (const language of ['en', 'zh-CN']) {
      const t = i18next.getFixedT(language);
      for (const action of KNOWN_ACTIONS) expect(actionText(t, action), `${language} ${action}`).not.toBe(action);
    }
    expect(actionText(i18next.getFixedT('zh-CN'), 'page.view')).toBe('查看页面');
    // An action from a newer version shows its code rather than nothing.
    expect(actionText(i18next.getFixedT('en'), 'ledger.future-action')).toBe('ledger.future-action');
  });

  it('says what the details say: page, fields by their names, query, count, reason, version, the rest as key: value', () => {
    const en = i18next.getFixedT('en');
    expect(detailsText(en, event('page.view', { pageId: 31, page: 2, version: 3 }))).toBe('page 2 · v3');
    expect(detailsText(en, event('document.print', { pages: 1, version: 1 }))).toBe('1 page · v1');
    expect(detailsText(en, event('document.edit', { fields: { customer: {}, amount: {} }, reason: 'from slip', version: 2 }))).toBe(
      'fields: Customer, Amount · reason: from slip · v2',
    );
    expect(detailsText(i18next.getFixedT('zh-CN'), event('search.query', { query: '华南', limit: 20, offset: 0 }))).toBe('查询“华南”');
    expect(detailsText(en, event('audit.export', { rows: 12, filters: { user: 'li' } }))).toBe('12 events');
    expect(detailsText(i18next.getFixedT('zh-CN'), event('user.create', { role: 'clerk', passwordDigest: 'ab'.repeat(8), version: 2 }))).toBe(
      '第 2 版 · 角色：文员',
    );
    expect(detailsText(i18next.getFixedT('zh-CN'), event('ledger.update', { rowId: 3, changes: { owner: {}, amount: {} } }))).toBe('字段：跟单员、金额');
    expect(detailsText(en, event('document.import', { file: '送货单.jpg', blobHash: 'ab'.repeat(32), mime: 'image/jpeg', pages: 3, version: 1 }))).toBe(
      '3 pages · 送货单.jpg · v1',
    );
    expect(detailsText(en, event('document.ocr', { pageId: 4, characters: 1, version: 2 }))).toBe('1 character · v2');
    expect(detailsText(en, event('x.y', { reason: 'n'.repeat(300) }))).toHaveLength(160);
  });
});
