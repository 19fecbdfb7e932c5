/**
 * Scanning, and adding pages from this computer, for a window that works on a SlipVault server
 * (docs/server-network.md, "Scanning and pages from this computer"). The scanner is attached to the clerk's
 * computer, not to the server: `scanner:list`, `scanner:scan` and `pages:scan` run SANE here, through the same
 * capture as a local scan (core/ingest/sane.ts, scan-batch.ts), and the batch file goes to the server through
 * the upload calls. The server imports it as its own scanner:scan would (`uploads:importScan`: the split with
 * its own slip-number patterns, all parts in one transaction) or adds it to the document (`uploads:addPages`).
 * While the server cannot be reached the batch is kept in the offline queue with what it is for, so no scan
 * is lost. `pages:add` of files on this computer uploads them and adds them as one version.
 *
 * The answers have the shapes the local calls have; the server's refusals (not logged in, not allowed, an
 * unknown or voided document, a damaged file) are its own, made by its dispatcher and write path.
 */
import { basename } from 'node:path';
import { contract, type CallResult, type Method, type ParsedInputOf, type ScanDestination } from '../../shared/contract';
import { SlipVaultError, type ErrorPayload } from '../../shared/errors';
import { describeIssues, fieldIssues } from '../../shared/messages';
import type { ImportResult, ScanResult } from '../../shared/model';
import { toErrorPayload } from '../core/error-payload';
import { inspectFile } from '../core/ingest/inspect';
import { captureBatch, listScanners, type ScanOptions } from '../core/ingest/sane';
import { contentSheets, withBatchFile } from '../core/ingest/scan-batch';
import type { OfflineQueue, QueuePurpose } from './offline-queue';
import { sendFile, unreachable, uploadFile } from './server-uploads';

type Invoke = (method: Method, input: unknown) => Promise<CallResult<Method>>;

const ON_THE_WORKSTATION = ['scanner:list', 'scanner:scan', 'pages:scan', 'pages:add'] as const;
/** The calls a window on a server has answered on its own computer, whose scanner and files they use. */
export type WorkstationMethod = (typeof ON_THE_WORKSTATION)[number];

export function isWorkstationMethod(method: Method): method is WorkstationMethod {
  return (ON_THE_WORKSTATION as readonly Method[]).includes(method);
}

export interface Workstation {
  /** The page's calls to the server, through its own login there. */
  invoke: Invoke;
  /** The server's address, as the offline queue keeps it. */
  server: string;
  queue: OfflineQueue;
}

const failed = (error: unknown): { ok: false; error: ErrorPayload } => ({ ok: false, error: toErrorPayload(error) });

/** The input checked as the server's dispatcher checks it, since it does not reach the server as it is. */
function parseInput<M extends 'scanner:scan' | 'pages:scan' | 'pages:add'>(method: M, input: unknown): ParsedInputOf<M> {
  const parsed = contract[method].input.safeParse(input ?? {});
  if (parsed.success) return parsed.data as ParsedInputOf<M>;
  throw new SlipVaultError('VALIDATION', `Invalid input for ${method}: ${describeIssues(parsed.error.issues)}.`, { method })
    .withMessage('input.invalid', { method })
    .withIssues(fieldIssues(parsed.error.issues));
}

function scanOptions(input: {
  device?: string | undefined;
  source: 'ADF' | 'Flatbed';
  duplex: boolean;
  resolution: number;
  pages?: number | undefined;
}): ScanOptions {
  const { device, pages, source, duplex, resolution } = input;
  return { source, duplex, resolution, ...(device ? { device } : {}), ...(pages ? { pages } : {}) };
}

/**
 * Asks the server whether this user may scan into it (and into `ref`) before the scanner moves. A server that
 * cannot be reached does not stop the scan: it is kept for the server (null destination known then).
 */
async function checkScan(workstation: Workstation, ref?: string | number): Promise<ScanDestination | null> {
  const answer = await workstation.invoke('uploads:checkScan', ref === undefined ? {} : { ref });
  if (answer.ok) return answer.value as ScanDestination;
  if (unreachable(answer.error)) return null;
  throw SlipVaultError.fromPayload(answer.error);
}

/**
 * Why a scan the server did not take is kept on this computer: the server cannot be reached, or this page's login
 * there ended while the scanner ran (the server restarted, the session expired) — the clerk logs in again and the
 * queue is sent then. Null: the server judged the scan itself, and its refusal is the answer.
 */
function keptBecause(error: ErrorPayload): 'offline' | 'logged-out' | null {
  if (unreachable(error)) return 'offline';
  return error.code === 'UNAUTHENTICATED' ? 'logged-out' : null;
}

/** The sentences for a kept scan; a scan for the inbox that could not reach the server is told as a queued import is. */
const KEPT_SCAN_MESSAGES = {
  scan: { offline: 'uploadQueue.queued', 'logged-out': 'uploadQueue.queuedLoggedOut' },
  pages: { offline: 'uploadQueue.queuedPages', 'logged-out': 'uploadQueue.queuedPagesLoggedOut' },
} as const;

/** What the clerk is told about a scan kept in the queue, `waiting` items in all. */
function keptScan(name: string, server: string, waiting: number, purpose: QueuePurpose, because: 'offline' | 'logged-out'): SlipVaultError {
  const why = because === 'offline' ? `the server ${server} cannot be reached` : `you are no longer logged in on the server ${server}`;
  const when = because === 'offline' ? 'when the server is back and you are logged in' : 'when you log in there again';
  const what = purpose.kind === 'pages' ? `Its pages are added to the document ${when}.` : `It is uploaded ${when}.`;
  const details = {
    file: name,
    server,
    waiting,
    reason: because === 'offline' ? 'queued-offline' : 'queued-logged-out',
    ...(purpose.kind === 'pages' ? { document: purpose.ref } : {}),
  };
  const key = KEPT_SCAN_MESSAGES[purpose.kind === 'pages' ? 'pages' : 'scan'][because];
  const code = because === 'offline' ? 'SERVER_UNREACHABLE' : 'UNAUTHENTICATED';
  return new SlipVaultError(code, `${name} was kept on this computer (${waiting} waiting): ${why}. ${what}`, details).withMessage(key, {
    file: name,
    waiting,
    server,
  });
}

/** Keeps the scanned batch at `path` for the server; answers what to tell the clerk (a full disk's refusal if it could not be kept). */
async function keepScan(workstation: Workstation, path: string, purpose: QueuePurpose, because: 'offline' | 'logged-out'): Promise<SlipVaultError> {
  const name = basename(path);
  try {
    await workstation.queue.add(workstation.server, path, name, purpose);
  } catch (error) {
    return SlipVaultError.fromPayload(toErrorPayload(error));
  }
  return keptScan(name, workstation.server, workstation.queue.status(workstation.server).waiting, purpose, because);
}

async function scanIntoServerInbox(workstation: Workstation, input: unknown): Promise<ScanResult> {
  const options = scanOptions(parseInput('scanner:scan', input));
  await checkScan(workstation);
  const sheets = await captureBatch(options);
  const answer = await withBatchFile(sheets, async (path): Promise<ImportResult> => {
    const name = basename(path);
    const outcome = await uploadFile(workstation.invoke, path, name, undefined, 'uploads:importScan');
    if (outcome.ok) return outcome.value;
    const because = keptBecause(outcome.error);
    // A role taken away while the scanner ran: refused as the whole call, as before the scan.
    if (because === null && outcome.error.code === 'FORBIDDEN') throw SlipVaultError.fromPayload(outcome.error);
    const error = because === null ? outcome.error : (await keepScan(workstation, path, { kind: 'scan' }, because)).toPayload();
    return { imported: [], failed: [{ file: name, ...error }] };
  });
  return { pages: sheets.length, import: answer };
}

async function scanIntoServerDocument(workstation: Workstation, input: unknown): Promise<CallResult<'pages:scan'>> {
  const { ref, reason, ...scan } = parseInput('pages:scan', input);
  const destination = await checkScan(workstation, ref);
  const content = await contentSheets(await captureBatch(scanOptions(scan)));
  return withBatchFile(content, async (path) => {
    const sent = await sendFile(workstation.invoke, path, basename(path));
    const added = sent.ok ? await workstation.invoke('uploads:addPages', { ref, uploadIds: [sent.value], ...(reason ? { reason } : {}) }) : sent;
    const because = added.ok ? null : keptBecause(added.error);
    if (because === null) return added as CallResult<'pages:scan'>;
    // By the archive number the server's check answered; offline, as the window named the document.
    return failed(await keepScan(workstation, path, { kind: 'pages', ref: destination?.archiveNo ?? ref, reason: reason ?? null }, because));
  });
}

/**
 * pages:add of files on this computer: each is checked here as the server would (so a missing or damaged file
 * is refused before any byte leaves), sent, and added on the server as one version. Nothing is queued: the files
 * are still where they were.
 */
async function addPagesOverServer(workstation: Workstation, input: unknown): Promise<CallResult<'pages:add'>> {
  const { ref, paths, reason } = parseInput('pages:add', input);
  for (const path of paths) await inspectFile(path);
  const uploadIds: string[] = [];
  for (const path of paths) {
    const sent = await sendFile(workstation.invoke, path, basename(path));
    if (!sent.ok) return sent;
    uploadIds.push(sent.value);
  }
  return (await workstation.invoke('uploads:addPages', { ref, uploadIds, ...(reason ? { reason } : {}) })) as CallResult<'pages:add'>;
}

/** Answers a page's call that uses this computer's scanner or files, for a page working on a server; a failure is said, never thrown. */
export async function answerOnWorkstation(workstation: Workstation, method: WorkstationMethod, input: unknown): Promise<CallResult<Method>> {
  try {
    switch (method) {
      case 'scanner:list':
        await checkScan(workstation);
        return { ok: true, value: await listScanners() };
      case 'scanner:scan':
        return { ok: true, value: await scanIntoServerInbox(workstation, input) };
      case 'pages:scan':
        return await scanIntoServerDocument(workstation, input);
      case 'pages:add':
        return await addPagesOverServer(workstation, input);
    }
  } catch (error) {
    return failed(error);
  }
}
