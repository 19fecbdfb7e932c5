/**
 * What of a call's input may enter a log. The log must never hold document contents, OCR text, passwords,
 * passphrases, keys or tokens, and an input field added to the contract tomorrow must not leak by default, so
 * this is an allowlist: values under the keys below (ids, numbers, switches, user names) are kept, every other
 * value becomes "[redacted]". Objects keep their keys, so the log still says which fields a call carried
 * (`changes: { customer: "[redacted]" }`), and arrays keep their length.
 */

const KEPT_KEYS = new Set([
  'ref',
  'documents',
  'document',
  'pageId',
  'pageIds',
  'version',
  'from',
  'to',
  'limit',
  'offset',
  'afterSeq',
  'before',
  'status',
  'sort',
  'facets',
  'restart',
  'full',
  'keep',
  'rotation',
  'setId',
  'username',
  'user',
  'role',
  'disabled',
  'includeVoided',
  'acceptSuggestions',
  'restoreCheck',
  'volumeBytes',
  'resolution',
  'duplex',
  'source',
  'device',
  'pages',
  'action',
  'since',
  'until',
]);

export const REDACTED = '[redacted]';

/** Bounded even when kept: an id is short, and a hostile input must not fill the log. */
const MAX_KEPT_LENGTH = 100;
const MAX_ITEMS = 20;

function keptScalar(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'string') return value.length > MAX_KEPT_LENGTH ? `${value.slice(0, MAX_KEPT_LENGTH)}…` : value;
  return REDACTED;
}

function redactValue(value: unknown, kept: boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redactValue(item, kept));
    return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, KEPT_KEYS.has(key))]));
  }
  return kept ? keptScalar(value) : REDACTED;
}

/** The loggable shape of a call's input, exactly as a page or a script sent it. */
export function redactInput(input: unknown): unknown {
  return input === undefined ? undefined : redactValue(input, false);
}
