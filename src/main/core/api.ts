/**
 * The handler table: implements every call of src/shared/contract.ts on top of an Archive. Input is
 * parsed by the contract's zod schema before any handler runs; every failure leaves as an ErrorPayload
 * with a code from src/shared/errors.ts, never as a thrown exception or a stack trace.
 */
import type { z } from 'zod';
import { contract, isMethod, type CallResult, type Method, type OutputOf, type ParsedInputOf } from '../../shared/contract';
import { SlipVaultError } from '../../shared/errors';
import type { ImportResult } from '../../shared/model';
import type { Archive } from './archive';
import { exportAuditCsv, queryAudit } from './audit/audit-query';
import { recordView } from './audit/record-view';
import { backupIndexKey } from './backup/catalog-index';
import { createBackup } from './backup/create';
import { identitiesFrom, recipientsFrom } from './backup/keys';
import { pruneBackups } from './backup/prune';
import { restoreCopy } from './backup/restore-copy';
import { describeSet, listSets } from './backup/target';
import { verifyBackups } from './backup/verify';
import { toErrorPayload } from './error-payload';
import { installedLanguages } from './settings/installed-languages';
import { DEFAULT_SETTINGS } from './settings/settings-store';
import { HotFolderWatcher } from './ingest/hot-folder-watcher';
import { listScanners, scanBatch } from './ingest/sane';

type Handlers = { [M in Method]: (input: ParsedInputOf<M>) => OutputOf<M> | Promise<OutputOf<M>> };

function handlersFor(archive: Archive, hotFolder: HotFolderWatcher): Handlers {
  const docs = archive.documents;
  /** A page is addressed through its document: a page id of another document is not found. */
  const requirePageOf = (ref: string | number, pageId: number) => {
    const owner = docs.documentOfPage(pageId);
    const target = docs.summary(ref);
    if (owner.id !== target.id) throw new SlipVaultError('NOT_FOUND', `${target.archiveNo} has no page ${pageId}.`, { pageId });
  };
  /** A scanner's batch arrives already split (sane.ts); an imported file may be a batch to split. */
  const importFiles = async (paths: string[], split: boolean): Promise<ImportResult> => {
    const result: ImportResult = { imported: [], failed: [] };
    for (const file of paths) {
      try {
        const created = split ? await docs.importBatch(file) : [await docs.importFile(file)];
        result.imported.push(...created.map((document) => ({ file, document })));
      } catch (error) {
        result.failed.push({ file, ...toErrorPayload(error) });
      }
    }
    return result;
  };
  return {
    'archive:status': () => archive.auditedRead('archive.status', {}, () => archive.status()),
    'archive:check': () => archive.check(),
    'audit:list': ({ afterSeq, limit }) => archive.auditedRead('audit.list', { afterSeq, limit }, () => archive.audit.list(afterSeq, limit)),
    'audit:query': (input) => queryAudit(archive, input),
    'audit:export': ({ filters }) => exportAuditCsv(archive, filters),
    'audit:recordView': (input) => recordView(archive, input),
    'documents:import': ({ paths }) => importFiles(paths, true),
    'documents:list': (input) => docs.list(input),
    'documents:get': ({ ref }) => docs.get(ref),
    'documents:edit': ({ ref, changes, reason }) => docs.edit(ref, changes, reason ?? null),
    'documents:void': ({ ref, reason }) => docs.void(ref, reason),
    'documents:history': ({ ref }) => docs.history(ref),
    'documents:diff': ({ ref, from, to }) => docs.diff(ref, from, to),
    'documents:restoreVersion': ({ ref, version, reason }) => docs.restoreVersion(ref, version, reason ?? null),
    'pages:rotate': ({ ref, pageId, rotation, reason }) => docs.rotatePage(ref, pageId, rotation, reason ?? null),
    'pages:remove': ({ ref, pageId, reason }) => docs.removePage(ref, pageId, reason ?? null),
    'pages:reorder': ({ ref, pageIds, reason }) => docs.reorderPages(ref, pageIds, reason ?? null),
    'pages:add': ({ ref, paths, reason }) => docs.addPages(ref, paths, reason ?? null),
    'backup:create': ({ target, passphrase, recipients, volumeBytes, full }) =>
      createBackup(archive, {
        target,
        full,
        recipients: recipientsFrom({ passphrase, recipients }),
        ...(volumeBytes ? { volumeBytes } : {}),
        progress: (progress) => archive.events.emit('jobs:progress', progress),
      }),
    'backup:verify': ({ target, passphrase, identities, restoreCheck }) =>
      verifyBackups(archive, {
        target,
        identities: identitiesFrom({ passphrase, identities }),
        restoreCheck,
        progress: (progress) => archive.events.emit('jobs:progress', progress),
      }),
    'backup:list': ({ target }) => {
      const indexKey = backupIndexKey(archive, false);
      return listSets(target).map((catalog) => describeSet(target, catalog, indexKey));
    },
    'backup:prune': ({ target, keep }) => pruneBackups(archive, { target, keep }),
    'backup:restore': ({ target, into, setId, passphrase, identities }) =>
      restoreCopy(archive, {
        target,
        into,
        identities: identitiesFrom({ passphrase, identities }),
        ...(setId ? { setId } : {}),
        progress: (progress) => archive.events.emit('jobs:progress', progress),
      }),
    'customers:list': () => archive.auditedRead('customers.list', {}, () => archive.customers()),
    'documentTypes:list': () => archive.auditedRead('document-types.list', {}, () => archive.documentTypes()),
    'search:query': ({ query, limit, offset, sort, facets }) =>
      archive.auditedRead('search.query', { query, limit, offset }, () => archive.search.search({ query, limit, offset, sort, facets })),
    'search:facets': ({ query }) => archive.auditedRead('search.facets', { query }, () => archive.search.facets(query)),
    'search:reindex': ({ restart }) => {
      const jobId = `reindex-${Date.now()}`;
      return archive.search.reindexInBackground({ restart, onProgress: (progress) => archive.events.emit('jobs:progress', { jobId, phase: 'reindex', ...progress }) });
    },
    'search:suggest': ({ prefix, limit }) => archive.auditedRead('search.suggest', { prefix }, () => archive.search.suggester.suggest(prefix, limit)),
    'savedSearches:list': () => archive.auditedRead('saved-searches.list', {}, () => archive.savedSearches.list()),
    'savedSearches:save': ({ name, query }) => archive.savedSearches.save(name, query),
    'savedSearches:remove': ({ name }) => {
      archive.savedSearches.remove(name);
      return { removed: name };
    },
    'savedSearches:run': ({ name, limit, offset }) =>
      archive.auditedRead('search.query', { savedSearch: name, limit, offset }, () =>
        archive.search.search({ query: archive.savedSearches.get(name).query, limit, offset, facets: true }),
      ),
    'pages:setText': ({ ref, pageId, text, reason }) => {
      requirePageOf(ref, pageId);
      return docs.setPageText(pageId, text, 'page.text', reason ?? null)!;
    },
    'inbox:list': ({ limit }) => archive.auditedRead('inbox.list', { limit }, () => archive.inbox.list(limit)),
    'inbox:file': ({ ref, changes, acceptSuggestions, reason }) => archive.inbox.file(ref, changes, acceptSuggestions, reason ?? null),
    'ocr:queue': () => archive.auditedRead('ocr.queue', {}, () => archive.ocrQueue.counts()),
    'ocr:page': ({ ref, pageId }) => {
      requirePageOf(ref, pageId);
      return archive.auditedRead('ocr.page', { pageId }, () => archive.ocrQueue.recognitionOf(pageId));
    },
    'ocr:process': () => archive.processQueue(),
    'settings:get': () =>
      archive.auditedRead('settings.get', {}, () => ({ settings: archive.settings.get(), defaults: DEFAULT_SETTINGS, installedLanguages: installedLanguages() })),
    'settings:update': ({ changes }) => archive.settings.update(changes),
    'documentTypes:save': (type) => archive.types.save(type),
    'ocr:review': ({ limit }) => archive.auditedRead('ocr.review', { limit }, () => archive.reviewList(limit)),
    'scanner:list': () => listScanners(),
    'scanner:scan': async ({ device, source, duplex, resolution, pages }) => {
      const batch = await scanBatch({ ...(device ? { device } : {}), source, duplex, resolution, ...(pages ? { pages } : {}) });
      try {
        return { pages: batch.pages, import: await importFiles(batch.files, false) };
      } finally {
        batch.cleanup();
      }
    },
    'pages:scan': async ({ ref, reason, device, source, duplex, resolution, pages }) => {
      docs.summary(ref); // an unknown document is refused before the scanner moves
      const batch = await scanBatch({ ...(device ? { device } : {}), source, duplex, resolution, ...(pages ? { pages } : {}) });
      try {
        // Every part of the batch (blank separator sheets dropped) joins this document, in scan order.
        return await docs.addPages(ref, batch.files, reason ?? null);
      } finally {
        batch.cleanup();
      }
    },
    'hotFolder:status': () => hotFolder.status(),
    'hotFolder:watch': async ({ path }) => {
      const status = await hotFolder.watch(path);
      // Remembered, so the next session of this archive watches it again (ArchiveSession resumes it).
      if (archive.settings.get().hotFolderPath !== path) archive.settings.update({ hotFolderPath: path });
      return status;
    },
    'hotFolder:stop': () => hotFolder.stop(),
  };
}

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export interface Api {
  invoke(method: string, rawInput: unknown): Promise<CallResult<Method>>;
  /** Stops what the calls started and left running (the hot folder); before the archive closes. */
  dispose(): Promise<void>;
}

export function createApi(archive: Archive): Api {
  const hotFolder = new HotFolderWatcher((path) =>
    archive.documents.importBatch(path).then(
      (created) => ({ ok: true as const, archiveNos: created.map((document) => document.archiveNo) }),
      (error: unknown) => ({ ok: false as const, reason: toErrorPayload(error).message }),
    ),
  );
  const handlers = handlersFor(archive, hotFolder);
  // An index written by an older version of the app is rebuilt on a worker as soon as the archive is in use.
  archive.search.startFormatUpgrade((progress) => archive.events.emit('jobs:progress', { jobId: 'reindex-upgrade', phase: 'reindex', ...progress }));
  return {
    async dispose() {
      await hotFolder.stop();
    },
    async invoke(method, rawInput) {
      if (!isMethod(method)) {
        return { ok: false, error: { code: 'VALIDATION', message: `Unknown call "${String(method)}".` } };
      }
      const parsed = contract[method].input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'VALIDATION', message: `Invalid input for ${method}: ${describeIssues(parsed.error.issues)}.`, details: { method } },
        };
      }
      try {
        const handler = handlers[method] as (input: unknown) => unknown;
        return { ok: true, value: (await handler(parsed.data)) as OutputOf<Method> };
      } catch (error) {
        return { ok: false, error: toErrorPayload(error) };
      }
    },
  };
}
