/**
 * The handler table: implements every call of src/shared/contract.ts on top of an Archive. Each client
 * connection (a window, a WebSocket, a CLI run) gets its own ApiClient holding its login; the dispatcher
 * refuses a call its session may not make (src/shared/permissions.ts) before the input is even parsed, and
 * runs every allowed call as its user, so the audit trail names who did it. Input is parsed by the
 * contract's zod schema before any handler runs; every failure leaves as an ErrorPayload with a code from
 * src/shared/errors.ts, never as a thrown exception or a stack trace. Every call is logged in the archive's
 * log (logging/call-log.ts), an unexpected error with its stack and the id its message shows.
 */
import { contract, isMethod, type CallResult, type MetadataChanges, type Method, type OutputOf, type ParsedInputOf } from '../../shared/contract';
import { SlipVaultError } from '../../shared/errors';
import { describeIssues, fieldIssues } from '../../shared/messages';
import type { AuthStatus, HotFolderStatus, ImportResult, SessionUser } from '../../shared/model';
import { mayCall } from '../../shared/permissions';
import { actAs, actingUser } from './accounts/acting-user';
import type { Archive } from './archive';
import { exportAuditCsv, queryAudit } from './audit/audit-query';
import { recordView } from './audit/record-view';
import { backupIndexKey } from './backup/catalog-index';
import { createBackup } from './backup/create';
import { identitiesFrom, recipientsFrom } from './backup/keys';
import { pruneBackups } from './backup/prune';
import { exportProof } from './proof/export';
import { verifyProofPackage } from './proof/verify';
import { archiveSigner } from './backup/set-signature';
import { restoreCopy } from './backup/restore-copy';
import { saveSchedulePassphrase, scheduleStatus } from './backup/schedule';
import { environmentSecretStore, type SecretStore } from './backup/secret-store';
import { describeSet, listSets } from './backup/target';
import { verifyBackups } from './backup/verify';
import { toErrorPayload } from './error-payload';
import { loggedCall, withLog } from './logging/call-log';
import { appLogFolder, archiveLogFolder } from './logging/log-folders';
import { archiveLog } from './logging/logger';
import { installedLanguages } from './settings/installed-languages';
import { DEFAULT_SETTINGS } from './settings/settings-store';
import { HotFolderWatcher } from './ingest/hot-folder-watcher';
import { listScanners } from './ingest/sane';
import { scanIntoDocument, scanIntoInbox } from './ingest/scan-batch';
import { today } from './retention/dates';
import { Retention } from './retention/retention';
import { exportCustomers } from './customers/export';
import { CUSTOMER_PRESETS } from './customers/presets';
import { boxLabelFile, writeBoxLabel } from './locations/box-label';
import { editMany } from './documents/batch-edit';
import { exportSlipPdf } from './documents/slip-export';
import { ledgerHandlers } from './ledger/ledger-handlers';
// issue 20 item 5: moving the archive onto PostgreSQL
import { moveToPostgres } from './db/pg/move-to-postgres';
import { FilingRules } from './filing/filing-rules';
import { inboxDraftHandlers } from './inbox-drafts/draft-handlers';
import { fileMany } from './ingest/batch-file';
import { keptPassphrase, testRestore } from './backup/test-restore';
// issue 20 item 3: page images for a window working on a server
import { readBlobChunk } from './store/blob-chunks';
// issue 20 item 4: files a workstation uploads to the server, imported there
import { connectionUploads, UploadStaging } from './uploads/upload-calls';
// issue 20 item 4: scanning at a workstation, local pages added to a server's document
import { importScannedBatch } from './ingest/scan-batch';

/** The calls that read or change a connection's own login; the client answers them itself. */
type SessionMethod = 'auth:status' | 'auth:setup' | 'auth:login' | 'auth:logout' | 'auth:changePassword';
/** The calls whose state belongs to one connection (its uploads); answered by the connection's own table. */
type ConnectionMethod = 'uploads:begin' | 'uploads:append' | 'uploads:import' | 'uploads:importScan' | 'uploads:addPages';
type Handlers = { [M in Exclude<Method, SessionMethod | ConnectionMethod>]: (input: ParsedInputOf<M>) => OutputOf<M> | Promise<OutputOf<M>> };

function handlersFor(archive: Archive, hotFolder: HotFolderWatcher, secrets: SecretStore, now: () => number): Handlers {
  const docs = archive.documents;
  /** The day due lists and authorization states are computed on: the API's clock, as the clerk's calendar shows it. */
  const localDay = () => today(new Date(now()));
  const retention = new Retention(archive, localDay);
  const filingRules = new FilingRules({
    connection: archive.connection,
    audit: archive.audit,
    documentType: (code) => archive.types.get(code),
    isSigned: (documentId) => archive.signatures.isSignedStored(documentId),
  });
  /**
   * A type that requires a signature needs the signed check of every page before the (synchronous) filing rules
   * run; only when the rules will look: a document becomes filed, or a filed one changes its type.
   */
  const checkSignedIfRequired = async (ref: string | number, newType: string | null | undefined, filing: boolean) => {
    const document = docs.summary(ref);
    const becomesFiled = filing && document.status !== 'filed';
    const retyped = document.status === 'filed' && newType !== undefined && newType !== document.type;
    if (!becomesFiled && !retyped) return;
    const suggested = archive.inbox.suggestionsOf(document.id).find((suggestion) => suggestion.field === 'type')?.value;
    if (filingRules.mayNeedSignature([newType, document.type, suggested])) await archive.signatures.ofDocument(document.id);
  };
  /** Files one inbox document (inbox:file, and each document of inbox:fileMany): signed check first, then the filing rules. */
  const fileFromInbox = async (
    ref: string | number,
    changes: MetadataChanges | undefined,
    acceptSuggestions: boolean,
    reason: string | null,
    override: string | undefined,
  ) => {
    await checkSignedIfRequired(ref, changes?.type, true);
    return filingRules.guard(null, reason, override, (versionReason) => archive.inbox.file(ref, changes, acceptSuggestions, versionReason));
  };
  /** A page is addressed through its document: a page id of another document is not found. */
  const requirePageOf = (ref: string | number, pageId: number) => {
    const owner = docs.documentOfPage(pageId);
    const target = docs.summary(ref);
    if (owner.id !== target.id)
      throw new SlipVaultError('NOT_FOUND', `${target.archiveNo} has no page ${pageId}.`, { pageId }).withMessage('pages.notInDocument', {
        archiveNo: target.archiveNo,
        pageId,
      });
  };
  /** Each file may be a scanned batch to split (ingest/file-split.ts). */
  const importFiles = async (paths: string[]): Promise<ImportResult> => {
    const result: ImportResult = { imported: [], failed: [] };
    for (const file of paths) {
      try {
        const created = await docs.importBatch(file);
        result.imported.push(...created.map((document) => ({ file, document })));
      } catch (error) {
        result.failed.push({ file, ...toErrorPayload(error) });
      }
    }
    return result;
  };
  return {
    'users:list': () => archive.accounts.list(),
    'users:create': (input) => archive.accounts.create(input),
    'users:update': ({ username, ...changes }) => archive.accounts.update(username, changes, actingUser() ?? ''),
    'users:resetPassword': ({ username, password }) => archive.accounts.resetPassword(username, password),
    'archive:status': () => archive.auditedRead('archive.status', {}, () => archive.status()),
    'archive:check': () => archive.check(),
    'audit:list': ({ afterSeq, limit }) => archive.auditedRead('audit.list', { afterSeq, limit }, () => archive.audit.list(afterSeq, limit)),
    'audit:query': (input) => queryAudit(archive, input),
    'audit:export': ({ filters }) => exportAuditCsv(archive, filters),
    'audit:recordView': (input) => recordView(archive, input),
    'documents:import': ({ paths }) => importFiles(paths),
    'documents:list': (input) => docs.list(input),
    'documents:get': ({ ref }) => docs.get(ref),
    'documents:edit': async ({ ref, changes, reason, filingOverride, baseVersion }) => {
      // A conflict is told before the filing rules judge a version the clerk has not seen.
      docs.assertVersion(ref, baseVersion);
      await checkSignedIfRequired(ref, changes.type, changes.status === 'filed');
      return filingRules.guard(docs.get(ref), reason ?? null, filingOverride, (versionReason) => docs.edit(ref, changes, versionReason, baseVersion));
    },
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
    'backup:signer': () => ({ signer: archiveSigner(archive) }),
    'backup:scheduleStatus': () => scheduleStatus(archive, secrets, new Date(now())),
    'backup:saveSchedulePassphrase': ({ passphrase }) => saveSchedulePassphrase(archive, secrets, passphrase),
    'backup:prune': ({ target, keep }) => pruneBackups(archive, { target, keep }),
    'backup:restore': ({ target, into, setId, passphrase, identities, signers }) =>
      restoreCopy(archive, {
        target,
        into,
        identities: identitiesFrom({ passphrase, identities }),
        ...(setId ? { setId } : {}),
        ...(signers ? { signers } : {}),
        progress: (progress) => archive.events.emit('jobs:progress', progress),
      }),
    'customers:list': () => archive.auditedRead('customers.list', {}, () => archive.customers()),
    'documentTypes:list': () => archive.auditedRead('document-types.list', {}, () => archive.documentTypes()),
    'search:query': async ({ query, limit, offset, sort, facets }) => {
      const options = { query, limit, offset, sort, facets };
      const elsewhere = archive.search.asynchronous();
      if (!elsewhere) return archive.auditedRead('search.query', { query, limit, offset }, () => archive.search.search(options));
      // Answered on another connection: the search is audited once its result is in, as a read that happened.
      const result = await elsewhere.search(options);
      return archive.auditedRead('search.query', { query, limit, offset }, () => result);
    },
    'search:facets': async ({ query }) => {
      const elsewhere = archive.search.asynchronous();
      if (!elsewhere) return archive.auditedRead('search.facets', { query }, () => archive.search.facets(query));
      const result = await elsewhere.facets(query);
      return archive.auditedRead('search.facets', { query }, () => result);
    },
    'search:reindex': ({ restart }) => {
      const jobId = `reindex-${Date.now()}`;
      return archive.search.reindexInBackground({
        restart,
        onProgress: (progress) => archive.events.emit('jobs:progress', { jobId, phase: 'reindex', ...progress }),
      });
    },
    'search:suggest': ({ prefix, limit }) => archive.auditedRead('search.suggest', { prefix }, () => archive.search.suggester.suggest(prefix, limit)),
    'savedSearches:list': () => archive.auditedRead('saved-searches.list', {}, () => archive.savedSearches.list()),
    'savedSearches:save': ({ name, query }) => archive.savedSearches.save(name, query),
    'savedSearches:remove': ({ name }) => {
      archive.savedSearches.remove(name);
      return { removed: name };
    },
    'savedSearches:run': async ({ name, limit, offset }) => {
      const options = { query: archive.savedSearches.get(name).query, limit, offset, facets: true };
      const elsewhere = archive.search.asynchronous();
      if (!elsewhere) return archive.auditedRead('search.query', { savedSearch: name, limit, offset }, () => archive.search.search(options));
      const result = await elsewhere.search(options);
      return archive.auditedRead('search.query', { savedSearch: name, limit, offset }, () => result);
    },
    'pages:setText': ({ ref, pageId, text, reason }) => {
      requirePageOf(ref, pageId);
      return docs.setPageText(pageId, text, 'page.text', reason ?? null)!;
    },
    'inbox:list': ({ limit, order }) => archive.auditedRead('inbox.list', { limit, order }, () => archive.inbox.list(limit, order)),
    'inbox:file': ({ ref, changes, acceptSuggestions, reason, filingOverride }) =>
      fileFromInbox(ref, changes, acceptSuggestions, reason ?? null, filingOverride),
    'ocr:queue': () => archive.auditedRead('ocr.queue', {}, () => archive.ocrQueue.counts()),
    'ocr:page': ({ ref, pageId }) => {
      requirePageOf(ref, pageId);
      return archive.auditedRead('ocr.page', { pageId }, () => archive.ocrQueue.recognitionOf(pageId));
    },
    'ocr:process': () => archive.processQueue(),
    'settings:get': () =>
      archive.auditedRead('settings.get', {}, () => ({
        settings: archive.settings.get(),
        defaults: DEFAULT_SETTINGS,
        installedLanguages: installedLanguages(),
      })),
    'settings:update': ({ changes }) => archive.settings.update(changes),
    'documentTypes:save': (type) => archive.types.save(type),
    'ocr:review': ({ limit }) => archive.auditedRead('ocr.review', { limit }, () => archive.reviewList(limit)),
    'scanner:list': () => listScanners(),
    'scanner:scan': ({ device, ...options }) => scanIntoInbox(docs, { ...(device ? { device } : {}), ...options }),
    'pages:scan': ({ ref, reason, device, ...options }) => scanIntoDocument(docs, ref, { ...(device ? { device } : {}), ...options }, reason ?? null),
    'hotFolder:status': () => hotFolder.status(),
    'hotFolder:watch': async ({ path }) => {
      const status = await hotFolder.watch(path);
      // Remembered, so the next session of this archive watches it again (ArchiveSession resumes it).
      if (archive.settings.get().hotFolderPath !== path) archive.settings.update({ hotFolderPath: path });
      return status;
    },
    'hotFolder:stop': () => hotFolder.stop(),
    'proof:export': ({ documents, out }) => exportProof(archive, { documents: documents.map(String), out }),
    'proof:verify': ({ path, expectedHead }) => verifyProofPackage(path, expectedHead ? { expectedHead } : {}),
    'app:openLogFolder': () => ({ folder: archiveLogFolder(archive.dir), appFolder: appLogFolder(), opened: false }),
    // --- retention, holds and disposal (docs/retention.md) ---
    'retention:schedules': () => retention.schedules.list(),
    'retention:setSchedule': (input) => retention.schedules.save(input),
    'retention:document': ({ ref }) => retention.states.of(ref),
    'retention:due': ({ asOf }) => {
      const day = asOf ?? retention.today();
      return { asOf: day, items: retention.states.due(day) };
    },
    'retention:extend': ({ ref, until, reason }) => retention.extend(ref, until, reason),
    'holds:list': ({ ref, includeLifted }) => retention.holds.list({ includeLifted, ...(ref === undefined ? {} : { document: ref }) }),
    'holds:add': ({ ref, customer, kind, reason }) => retention.holds.add(ref === undefined ? { customer: customer! } : { document: ref }, kind, reason),
    'holds:lift': ({ id, reason }) => retention.holds.lift(id, reason),
    'disposal:list': () => retention.disposals.list(),
    'disposal:request': ({ asOf, items, reason }) => retention.disposals.request(asOf, items, reason),
    'disposal:approve': ({ batch, reason, backupTargets }) => retention.disposals.approve(batch, reason, backupTargets),
    'disposal:reject': ({ batch, reason }) => retention.disposals.reject(batch, reason),
    'disposal:certificate': ({ batch, out }) => retention.disposals.writeCertificate(batch, out),
    // --- customers, signers, authorizations, paper locations (issue 18): core/records.ts ---
    'customers:register': () => archive.records.customers.list(),
    'customers:get': ({ customer }) => archive.records.customers.get(customer),
    'customers:save': (input) => archive.records.customers.save(input),
    'customers:merge': ({ from, into, reason }) => archive.records.customers.merge(from, into, reason ?? null),
    'customers:import': (input) => archive.records.customerImport.run(input),
    'customers:export': ({ path }) => exportCustomers(archive.records.customers.list(), path),
    'customers:mappings': () => ({ presets: CUSTOMER_PRESETS, saved: archive.records.customerImport.savedMappings() }),
    'signers:save': ({ customer, ...signer }) => archive.records.signers.save({ ...signer, customerId: archive.records.customers.find(customer).id }),
    'authorizations:list': ({ customer, expiringWithinDays, on }) =>
      archive.records.authorizations.list(
        {
          ...(customer !== undefined ? { customerId: archive.records.customers.find(customer).id } : {}),
          ...(expiringWithinDays !== undefined ? { expiringWithinDays } : {}),
        },
        on ?? localDay(),
      ),
    'authorizations:save': (input) => archive.records.authorizations.save(input, localDay()),
    'authorizations:revoke': (input) => archive.records.authorizations.revoke(input, localDay()),
    'authorizations:check': (input) => archive.records.signingCheck(input),
    'locations:list': () => archive.records.locations.list(),
    'locations:save': (input) => archive.records.locations.save(input),
    'documents:setLocation': ({ ref, location, reason }) => docs.setLocation(ref, location, reason ?? null),
    'locations:boxLabel': ({ box, out }) =>
      writeBoxLabel(
        { box: archive.records.locations.get(box), documents: archive.records.locations.documentsIn(box), printedAt: new Date(now()).toISOString() },
        out,
      ),
    // --- issue 19: un-void, batch edit, a slip as PDF ---
    'documents:unvoid': ({ ref, reason }) => docs.unvoid(ref, reason),
    'documents:editMany': ({ refs, changes, reason }) => editMany(archive, refs, changes, reason ?? null),
    'documents:exportPdf': ({ ref, purpose }) => exportSlipPdf(archive, ref, purpose),
    // The slip ledger (issue 17): its calls live in core/ledger/ledger-handlers.ts.
    ...ledgerHandlers(archive, secrets, now),
    // --- the signed check (issue 17 item 3) ---
    'documents:signatureCheck': ({ ref, recheck }) => archive.signatures.ofDocument(ref, recheck),
    'documents:requireSigned': ({ ref, override }) => archive.signatures.requireSigned(ref, override),
    // --- Inbox filing drafts (issue 19 item 3) ---
    ...inboxDraftHandlers(archive, now),
    // --- issue 18, records part 2 ---
    'locations:boxLabelPdf': ({ box }) =>
      boxLabelFile({
        box: archive.records.locations.get(box),
        documents: archive.records.locations.documentsIn(box),
        printedAt: new Date(now()).toISOString(),
      }),
    // --- issue 19 items 6 and 7: batch filing, the backup screen's test restore ---
    'inbox:fileMany': ({ items, shared, acceptSuggestions, reason, filingOverride }) =>
      fileMany(
        {
          documentOf: (ref) => docs.summary(ref),
          fileOne: (ref, changes) => fileFromInbox(ref, changes, acceptSuggestions, reason ?? null, filingOverride),
        },
        items,
        shared,
      ),
    'backup:testRestore': async ({ target, passphrase, identities }) =>
      testRestore(archive, {
        target,
        // Without a key typed in, the passphrase the host keeps for scheduled backups (the keychain in the desktop app).
        identities: identitiesFrom({ passphrase: passphrase ?? (identities ? undefined : await keptPassphrase(archive, secrets)), identities }),
        progress: (progress) => archive.events.emit('jobs:progress', progress),
      }),
    // --- issue 20 item 3: a page image for a window working on a server ---
    'blobs:read': ({ sha256, offset, length }) => readBlobChunk(archive.blobs, sha256, offset, length),
    // --- issue 20 item 5: moving the archive onto PostgreSQL (core/db/pg/move-to-postgres.ts) ---
    'archive:moveToPostgres': (request) => moveToPostgres(archive, request, (progress) => archive.events.emit('jobs:progress', progress), now),
    // --- issue 20 item 4: a workstation asks before its scanner moves, as pages:scan refuses an unknown document first ---
    'uploads:checkScan': ({ ref }) => ({ archiveNo: ref === undefined ? null : docs.summary(ref).archiveNo }),
  };
}

/** One client's connection to the archive: its own login, its own calls. */
export interface ApiClient {
  invoke(method: string, rawInput: unknown): Promise<CallResult<Method>>;
  /** Who this connection is logged in as, or null. */
  user(): SessionUser | null;
}

export interface Api {
  /** A new connection, not logged in. */
  connect(): ApiClient;
  /** Watches the hot folder a user chose in an earlier session again, when the archive opens. */
  resumeHotFolder(path: string): Promise<HotFolderStatus>;
  /** Stops what the calls started and left running (the hot folder); before the archive closes. */
  dispose(): Promise<void>;
}

function failure(error: SlipVaultError): CallResult<Method> {
  return { ok: false, error: error.toPayload() };
}

export interface ApiOptions {
  now?: () => number;
  /** Keeps the scheduled backups' passphrase; by default SLIPVAULT_BACKUP_PASSPHRASE, read-only. */
  secrets?: SecretStore;
}

export function createApi(archive: Archive, options: ApiOptions = {}): Api {
  const now = options.now ?? Date.now;
  const log = archiveLog(archive.dir);
  const hotFolder = new HotFolderWatcher((path) =>
    withLog(log, () =>
      archive.documents.importBatch(path).then(
        (created) => ({ ok: true as const, archiveNos: created.map((document) => document.archiveNo) }),
        (error: unknown) => ({ ok: false as const, reason: toErrorPayload(error).message }),
      ),
    ),
  );
  const handlers = handlersFor(archive, hotFolder, options.secrets ?? environmentSecretStore(), now);
  const uploadStaging = new UploadStaging();
  // An index written by an older version of the app is rebuilt on a worker as soon as the archive is in use.
  // Not awaited: startFormatUpgrade already handles a failure (the index stays marked incomplete).
  void archive.search.startFormatUpgrade((progress) => archive.events.emit('jobs:progress', { jobId: 'reindex-upgrade', phase: 'reindex', ...progress }));

  /** A refusal is evidence too; an archive that cannot be written still refuses, without the event. */
  const auditRefusal = (action: string, details: Record<string, unknown>) => {
    try {
      archive.audit.append({ action, details });
    } catch {
      // The refusal itself must still reach the caller.
    }
  };

  function connect(): ApiClient {
    let session: { user: SessionUser; lastCall: number } | null = null;
    const idleLockMinutes = () => archive.settings.get().idleLockMinutes;
    const idleLimitMs = () => idleLockMinutes() * 60_000;
    const status = (): AuthStatus => ({
      setupRequired: archive.accounts.count() === 0,
      user: session?.user ?? null,
      idleLockMinutes: archive.settings.get().idleLockMinutes,
    });
    const startSession = (user: SessionUser) => {
      session = { user, lastCall: now() };
      return user;
    };
    const sessionCalls: { [M in SessionMethod]: (input: ParsedInputOf<M>) => Promise<OutputOf<M>> | OutputOf<M> } = {
      'auth:status': () => status(),
      'auth:setup': async (input) => startSession(await archive.accounts.setup(input)),
      'auth:login': async ({ username, password }) => {
        session = null;
        return startSession(await archive.accounts.login(username, password));
      },
      'auth:logout': () => {
        if (session) {
          const { username } = session.user;
          actAs(username, () => archive.audit.append({ action: 'user.logout', targetType: 'user', targetId: username, details: {} }));
        }
        session = null;
        return status();
      },
      'auth:changePassword': ({ currentPassword, newPassword }) => archive.accounts.changeOwnPassword(session!.user.username, currentPassword, newPassword),
    };
    // issue 20 item 4: an upload is imported by documents:import's own handler, as the file on this disk it has become.
    // issue 20 item 4: a scanned batch and added pages go the way scanner:scan and pages:add take them.
    const uploads = connectionUploads(uploadStaging, {
      importFile: async (path) => handlers['documents:import']({ paths: [path] }),
      importScan: (path) => importScannedBatch(archive.documents, path),
      addPages: (ref, paths, reason) => archive.documents.addPages(ref, paths, reason),
    });
    const connectionCalls: { [M in ConnectionMethod]: (input: ParsedInputOf<M>) => Promise<OutputOf<M>> } = {
      'uploads:begin': (input) => uploads.begin(input),
      'uploads:append': (input) => uploads.append(input),
      'uploads:import': (input) => uploads.importUpload(input),
      'uploads:importScan': (input) => uploads.importScan(input),
      'uploads:addPages': (input) => uploads.addPages(input),
    };

    /** The session as it stands now: ended when idle too long; role and name re-read, so a disable or a role change applies at once. */
    function currentUser(method: Method): { user: SessionUser | null; refusal?: CallResult<Method> } {
      if (!session) return { user: null };
      const { username } = session.user;
      if (now() - session.lastCall > idleLimitMs()) {
        session = null;
        auditRefusal('call.refused', { method, username, reason: 'session-expired' });
        return {
          user: null,
          refusal: failure(
            new SlipVaultError('UNAUTHENTICATED', `Your session ended after ${idleLockMinutes()} minutes without activity; log in again.`, {
              reason: 'session-expired',
              method,
            }).withMessage('session.expired', { minutes: idleLockMinutes() }),
          ),
        };
      }
      const stored = archive.accounts.activeUser(username);
      if (!stored) {
        session = null;
        auditRefusal('call.refused', { method, username, reason: 'account-disabled' });
        return {
          user: null,
          refusal: failure(
            new SlipVaultError('UNAUTHENTICATED', `The account ${username} was disabled; log in with another account.`, {
              reason: 'disabled',
              method,
            }).withMessage('session.accountDisabled', { username }),
          ),
        };
      }
      session.user = stored;
      return { user: stored };
    }

    async function run(method: Method, rawInput: unknown, user: SessionUser | null): Promise<CallResult<Method>> {
      const parsed = contract[method].input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        return failure(
          new SlipVaultError('VALIDATION', `Invalid input for ${method}: ${describeIssues(parsed.error.issues)}.`, { method })
            .withMessage('input.invalid', { method })
            .withIssues(fieldIssues(parsed.error.issues)),
        );
      }
      const handler = (
        method in sessionCalls
          ? sessionCalls[method as SessionMethod]
          : method in connectionCalls
            ? connectionCalls[method as ConnectionMethod]
            : handlers[method as Exclude<Method, SessionMethod | ConnectionMethod>]
      ) as (input: unknown) => unknown;
      try {
        const value = user ? await actAs(user.username, () => handler(parsed.data)) : await handler(parsed.data);
        return { ok: true, value: value as OutputOf<Method> };
      } catch (error) {
        return { ok: false, error: toErrorPayload(error) };
      }
    }

    return {
      user: () => session?.user ?? null,
      async invoke(method, rawInput) {
        if (!isMethod(method))
          return failure(new SlipVaultError('VALIDATION', `Unknown call "${String(method)}".`).withMessage('call.unknown', { method: String(method) }));
        let current: ReturnType<typeof currentUser>;
        try {
          current = currentUser(method);
        } catch (error) {
          // The session's checks read the archive: on PostgreSQL they fail while the database is unreachable.
          return { ok: false, error: toErrorPayload(error) };
        }
        const { user, refusal } = current;
        if (refusal && !mayCall(method, null)) return refusal;
        if (!mayCall(method, user?.role ?? null)) {
          if (!user) {
            auditRefusal('call.refused', { method, reason: 'not-logged-in' });
            return failure(
              new SlipVaultError('UNAUTHENTICATED', `Log in first: ${method} needs a logged-in user.`, { reason: 'not-logged-in', method }).withMessage(
                'session.loginFirst',
                {
                  method,
                },
              ),
            );
          }
          actAs(user.username, () => auditRefusal('call.forbidden', { method, role: user.role }));
          return failure(
            new SlipVaultError('FORBIDDEN', `${user.username} (${user.role}) may not call ${method}.`, { method, role: user.role }).withMessage(
              'call.forbidden',
              {
                username: user.username,
                role: user.role,
                method,
              },
            ),
          );
        }
        const result = await loggedCall(log, { method, username: user?.username, input: rawInput }, () => run(method, rawInput, user));
        if (session) session.lastCall = now();
        return result;
      },
    };
  }

  return {
    connect,
    resumeHotFolder: (path) => hotFolder.watch(path),
    async dispose() {
      await hotFolder.stop();
      await uploadStaging.close();
    },
  };
}
