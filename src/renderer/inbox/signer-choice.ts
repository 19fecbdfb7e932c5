/**
 * The signer field chooses among the registered signers of the customer the form names (issue 19 item 2):
 * they are what the field completes from, and a name typed in part — `张`, `zhang` — becomes the one
 * registered name it starts when the slip is accepted. A name that matches none or several stays as typed:
 * a signer need not be registered (an agent named only in a letter of authority).
 */
import type { CustomerRecord } from '../../shared/model';

const squeeze = (text: string) => text.replace(/\s+/g, '').toLowerCase();

/** The registered signers of the customer named `customer` (by its name or an alias); none when no customer matches. */
export function signersOf(customer: string, customers: CustomerRecord[]): string[] {
  const wanted = squeeze(customer);
  if (wanted === '') return [];
  const match =
    customers.find((record) => squeeze(record.name) === wanted) ?? customers.find((record) => record.aliases.some((alias) => squeeze(alias) === wanted));
  return match?.signers ?? [];
}

/** The registered name the typed text names: the same name without spaces or case, else the one name it starts. */
export function resolveSignerName(typed: string, signers: string[]): string {
  const text = typed.trim();
  if (text === '' || signers.includes(text)) return text;
  const wanted = squeeze(text);
  const same = signers.filter((name) => squeeze(name) === wanted);
  if (same.length === 1) return same[0]!;
  const started = signers.filter((name) => squeeze(name).startsWith(wanted));
  return started.length === 1 ? started[0]! : text;
}
