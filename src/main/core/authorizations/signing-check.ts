/**
 * The filing check: was the slip's signer authorized to sign for that customer, for that kind of document
 * and amount, on the signing date? Green: an authorization in force that day covers it. Amber: nothing to
 * judge by (no authorization on file for this signer, or the slip lacks customer, signer or date). Red: the
 * authorizations naming the signer were expired, revoked (a slip signed on or after the revocation),
 * superseded or not yet valid that day, or the slip is outside their scope.
 */
import type { SigningCheck, SigningReason } from '../../../shared/records';
import type { AuthorizationRow } from './authorizations';

export interface SlipFacts {
  customer: string | null;
  signer: string | null;
  type: string | null;
  signedDate: string | null;
  /** In minor units. */
  amountMinor: number | null;
}

/** Names compare without spaces and case: "Wang Wei", "王 伟" and "王伟" on a slip are the same person as on the letter. */
export const sameName = (a: string, b: string) => a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();

const MESSAGES: Record<SigningReason, (facts: SlipFacts, row?: AuthorizationRow) => string> = {
  authorized: (facts, row) => `${facts.signer} was authorized by ${facts.customer} on ${facts.signedDate} (authorization ${row?.id}).`,
  'no-customer': () => 'No customer is set, so the signature cannot be checked.',
  'no-signer': () => 'No signer is set, so the signature cannot be checked.',
  'no-signed-date': () => 'No signing date is set, so the signature cannot be checked.',
  'no-authorization': (facts) => `No authorization of ${facts.customer} names ${facts.signer}.`,
  'not-yet-valid': (facts, row) => `Authorization ${row?.id} only starts on ${row?.validFrom}; the slip was signed on ${facts.signedDate}.`,
  expired: (facts, row) => `Authorization ${row?.id} ended on ${row?.validTo}; the slip was signed on ${facts.signedDate}.`,
  'signed-after-revocation': (facts, row) =>
    `Signed on ${facts.signedDate}, on or after authorization ${row?.id} was revoked (${row?.revokedOn}): ${row?.revokeReason ?? ''}`.trim(),
  superseded: (facts, row) => `Authorization ${row?.id} had been superseded by a newer one when the slip was signed on ${facts.signedDate}.`,
  'type-out-of-scope': (facts, row) => `Authorization ${row?.id} covers ${row?.scope.documentTypes.join(', ')}, not ${facts.type}.`,
  'amount-over-cap': (facts, row) => `The amount is above the cap of authorization ${row?.id} (${((row?.scope.amountCapMinor ?? 0) / 100).toFixed(2)}).`,
};

function verdict(verdictOf: SigningCheck['verdict'], reason: SigningReason, facts: SlipFacts, row?: AuthorizationRow): SigningCheck {
  return { verdict: verdictOf, reason, message: MESSAGES[reason](facts, row), authorizationId: row?.id ?? null };
}

/** Why `row` did not cover a slip signed on `date`, or null when it was in force that day. */
function notInForce(row: AuthorizationRow, date: string, all: AuthorizationRow[]): SigningReason | null {
  if (date < row.validFrom) return 'not-yet-valid';
  if (row.revokedOn !== null && date >= row.revokedOn) return 'signed-after-revocation';
  if (row.validTo !== null && date > row.validTo) return 'expired';
  const successor = all.find((other) => other.supersedesId === row.id && other.status !== 'draft');
  if (row.status === 'superseded' && successor && date >= successor.validFrom) return 'superseded';
  return null;
}

function outOfScope(row: AuthorizationRow, facts: SlipFacts): SigningReason | null {
  if (row.scope.documentTypes.length > 0 && facts.type !== null && !row.scope.documentTypes.includes(facts.type)) return 'type-out-of-scope';
  if (row.scope.amountCapMinor !== null && facts.amountMinor !== null && facts.amountMinor > row.scope.amountCapMinor) return 'amount-over-cap';
  return null;
}

/** `authorizations`: every stored authorization of the slip's customer (drafts are never in force). */
export function checkSigning(facts: SlipFacts, authorizations: AuthorizationRow[]): SigningCheck {
  if (!facts.customer) return verdict('amber', 'no-customer', facts);
  if (!facts.signer) return verdict('amber', 'no-signer', facts);
  if (!facts.signedDate) return verdict('amber', 'no-signed-date', facts);
  const signer = facts.signer;
  const naming = authorizations.filter((row) => row.status !== 'draft' && row.agents.some((agent) => sameName(agent.name, signer)));
  if (naming.length === 0) return verdict('amber', 'no-authorization', facts);
  const date = facts.signedDate;
  const inForce = naming.filter((row) => notInForce(row, date, authorizations) === null);
  const covering = inForce.find((row) => outOfScope(row, facts) === null);
  if (covering) return verdict('green', 'authorized', facts, covering);
  if (inForce.length > 0) return verdict('red', outOfScope(inForce[0]!, facts)!, facts, inForce[0]);
  // The latest authorization naming the signer explains best why none was in force.
  const latest = naming[naming.length - 1]!;
  return verdict('red', notInForce(latest, date, authorizations)!, facts, latest);
}
