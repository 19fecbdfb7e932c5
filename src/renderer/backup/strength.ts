/**
 * A rough, instant passphrase strength for the meter while typing. The core decides what is accepted (its
 * minimum is checked on backup:create and its message shown); this only guides the clerk towards it.
 */
export type Strength = 'empty' | 'weak' | 'fair' | 'strong';

export function passphraseStrength(passphrase: string): { strength: Strength; percent: number } {
  const characters = [...passphrase];
  if (characters.length === 0) return { strength: 'empty', percent: 0 };
  const distinct = new Set(characters).size;
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\d/u, /[^\p{L}\d]/u, /\p{Lo}/u].filter((pattern) => pattern.test(passphrase)).length;
  const score = Math.min(characters.length, 24) * 3 + Math.min(distinct, 16) * 1.5 + classes * 4;
  const percent = Math.min(100, Math.round(score));
  if (characters.length < 12 || distinct < 6 || /^\d+$/u.test(passphrase)) return { strength: 'weak', percent: Math.min(percent, 30) };
  return { strength: characters.length >= 20 && distinct >= 10 ? 'strong' : 'fair', percent };
}
