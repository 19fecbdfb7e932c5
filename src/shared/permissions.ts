/**
 * Who may call what: one row per contract method. The core's dispatcher (src/main/core/api.ts) refuses a call
 * before its handler runs when the connection's role is not in the row; the UI only hides what a role cannot
 * do. `public` calls are the ones a connection makes before it has logged in.
 */
import type { Method } from './contract';
import type { Role } from './model';

export type Access = 'public' | 'any-user' | readonly Role[];

const READERS: readonly Role[] = ['viewer', 'clerk', 'admin', 'auditor'];
const CLERKS: readonly Role[] = ['clerk', 'admin'];
const ADMINS: readonly Role[] = ['admin'];
const AUDITORS: readonly Role[] = ['admin', 'auditor'];

export const METHOD_ACCESS: { readonly [M in Method]: Access } = {
  'auth:status': 'public',
  'auth:setup': 'public',
  'auth:login': 'public',
  'auth:logout': 'public',
  'auth:changePassword': 'any-user',
  'users:list': ADMINS,
  'users:create': ADMINS,
  'users:update': ADMINS,
  'users:resetPassword': ADMINS,

  'archive:status': READERS,
  'archive:check': AUDITORS,
  'audit:list': AUDITORS,
  'audit:query': AUDITORS,
  'audit:export': AUDITORS,
  /** Opening a document, viewing, downloading or printing a page: recorded for whoever may see it. */
  'audit:recordView': READERS,

  'documents:list': READERS,
  'documents:get': READERS,
  'documents:history': READERS,
  'documents:diff': READERS,
  'documents:import': CLERKS,
  'documents:edit': CLERKS,
  'documents:void': CLERKS,
  'documents:restoreVersion': CLERKS,

  'pages:rotate': CLERKS,
  'pages:remove': CLERKS,
  'pages:reorder': CLERKS,
  'pages:add': CLERKS,
  'pages:setText': CLERKS,
  'pages:scan': CLERKS,

  'backup:create': CLERKS,
  'backup:verify': CLERKS,
  'backup:list': CLERKS,
  'backup:signer': CLERKS,
  'backup:prune': ADMINS,
  'backup:restore': ADMINS,
  /** The home screen's warning is for everyone who uses the archive. */
  'backup:scheduleStatus': READERS,
  'backup:saveSchedulePassphrase': ADMINS,

  'customers:list': READERS,
  'documentTypes:list': READERS,
  'documentTypes:save': ADMINS,

  'search:query': READERS,
  'search:facets': READERS,
  'search:suggest': READERS,
  'search:reindex': CLERKS,
  'savedSearches:list': READERS,
  'savedSearches:run': READERS,
  'savedSearches:save': CLERKS,
  'savedSearches:remove': CLERKS,

  'inbox:list': READERS,
  'inbox:file': CLERKS,
  'ocr:queue': READERS,
  'ocr:page': READERS,
  'ocr:review': READERS,
  'ocr:process': CLERKS,

  'settings:get': READERS,
  'settings:update': ADMINS,

  'scanner:list': CLERKS,
  'scanner:scan': CLERKS,
  'hotFolder:status': READERS,
  'hotFolder:watch': CLERKS,
  'hotFolder:stop': CLERKS,

  /** A proof copy is how anyone who may see a document hands it on (issue: "viewer … export a proof copy"). */
  'proof:export': READERS,
  'proof:verify': READERS,

  'app:openLogFolder': READERS,

  // Retention, holds and disposal (docs/retention.md). Keeping longer and placing a hold are safe for clerks;
  // what lets a document go — a shorter schedule, lifting a hold, a disposal — is for administrators.
  'retention:schedules': READERS,
  'retention:setSchedule': ADMINS,
  'retention:document': READERS,
  'retention:due': AUDITORS,
  'retention:extend': CLERKS,
  'holds:list': READERS,
  'holds:add': CLERKS,
  'holds:lift': ADMINS,
  'disposal:list': AUDITORS,
  'disposal:request': ADMINS,
  'disposal:approve': ADMINS,
  'disposal:reject': ADMINS,
  'disposal:certificate': AUDITORS,
  // Customers, signers, authorizations, paper locations (issue 18): clerks keep the records, the location list is a setting.
  'customers:register': READERS,
  'customers:get': READERS,
  'customers:save': CLERKS,
  'customers:merge': CLERKS,
  'customers:import': CLERKS,
  'customers:export': CLERKS,
  'customers:mappings': READERS,
  'signers:save': CLERKS,
  'authorizations:list': READERS,
  'authorizations:save': CLERKS,
  'authorizations:revoke': CLERKS,
  'authorizations:check': READERS,
  'locations:list': READERS,
  'locations:save': ADMINS,
  'documents:setLocation': CLERKS,
  'locations:boxLabel': CLERKS,
  // --- issue 19: un-void and batch edit change documents; a slip as PDF is read like a page download ---
  'documents:unvoid': CLERKS,
  'documents:editMany': CLERKS,
  'documents:exportPdf': READERS,
  // --- the slip ledger (issue 17): clerks and admins work it, viewers and auditors read it ---
  'ledger:list': READERS,
  'ledger:get': READERS,
  'ledger:create': CLERKS,
  'ledger:update': CLERKS,
  'ledger:cancel': CLERKS,
  'ledger:importPreview': CLERKS,
  'ledger:import': CLERKS,
  'ledger:mappings': CLERKS,
  'ledger:saveMapping': CLERKS,
  'ledger:candidates': READERS,
  'ledger:link': CLERKS,
  'ledger:unlink': CLERKS,
  'ledger:unexpected': READERS,
  'ledger:report': READERS,
  'ledger:export': READERS,
  'ledger:reminderPdf': CLERKS,
  'ledger:remind': CLERKS,
  'due:summary': READERS,
  /** Each user's own notifications. */
  'notifications:list': 'any-user',
  'notifications:markRead': 'any-user',
  // --- the signed check (issue 17 item 3): derived from the pages, like OCR results; the override is a clerk's ---
  'documents:signatureCheck': READERS,
  'documents:requireSigned': CLERKS,
  // --- Inbox filing drafts (issue 19 item 3): the filing form's working state, for those who file ---
  'inbox:drafts': CLERKS,
  'inbox:saveDraft': CLERKS,
  'inbox:discardDraft': CLERKS,
  // --- issue 18 (records, part 2): the box label as a download, like `locations:boxLabel` ---
  'locations:boxLabelPdf': CLERKS,
  // --- the slip ledger's dashboard: read by everyone who reads the ledger ---
  'due:filedPerWeek': READERS,
  // --- issue 19 items 6 and 7: batch filing is filing; a test restore reads backups as verifying does ---
  'inbox:fileMany': CLERKS,
  'backup:testRestore': CLERKS,
  // --- issue 20 item 3: a page image for a window working on a server, read by whoever may open documents ---
  'blobs:read': READERS,
  // --- issue 20 item 5: moving the archive onto PostgreSQL copies everything, accounts included ---
  'archive:moveToPostgres': ADMINS,
  // --- issue 20 item 4: uploading a file to import it is importing ---
  'uploads:begin': CLERKS,
  'uploads:append': CLERKS,
  'uploads:import': CLERKS,
  // issue 20 item 4: scanning at a workstation, local pages added to a server's document
  'uploads:checkScan': CLERKS,
  'uploads:importScan': CLERKS,
  'uploads:addPages': CLERKS,
};

/** Whether `role` (null: not logged in) may call `method`. */
export function mayCall(method: Method, role: Role | null): boolean {
  const access = METHOD_ACCESS[method];
  if (access === 'public') return true;
  if (role === null) return false;
  return access === 'any-user' || access.includes(role);
}
