/**
 * The recipients field: age X25519 public keys (age1…), several separated by spaces, commas or lines.
 * This checks the shape while typing; the core checks each key's checksum on backup:create and its
 * message is shown.
 */
const RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

export function parseRecipients(text: string): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const item of text.split(/[\s,;]+/u)) {
    if (item === '') continue;
    const target = RECIPIENT.test(item) ? valid : invalid;
    if (!target.includes(item)) target.push(item);
  }
  return { valid, invalid };
}

/** The pasted contents of an identity file (age-keygen output): usable when it holds a secret key line. */
export function looksLikeIdentity(text: string): boolean {
  return /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/mu.test(text.trim());
}
