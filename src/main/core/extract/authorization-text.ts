/**
 * What a scanned letter of authority (授权书) says about itself: its validity period (有效期自…至…, 有效期至…,
 * 到期日…, valid from … to …, valid until …) and its agents (被授权人：王伟). findDates ranks such dates last
 * for a slip's own date; here they are what is wanted, suggested as validFrom / validTo and the signer.
 */
import { findDates, type Candidate } from './dates';

const VALIDITY_LINE = /(有效期|有效|期限|到期|截止|VALID|EXPIR)/i;
const START_WORD = /(自|从|起|FROM|SINCE)/i;
const END_WORD = /(至|到期|止|截止|TO|UNTIL|THROUGH|EXPIR)/i;
const AGENT = /(?:被授权人|受托人|代理人|AGENT|AUTHORI[SZ]ED\s+PERSON)\s*[：:]\s*([\p{Script=Han}]{2,4}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)/giu;

export interface ValidityCandidates {
  validFrom: Candidate[];
  validTo: Candidate[];
}

export function findValidity(text: string): ValidityCandidates {
  const found: ValidityCandidates = { validFrom: [], validTo: [] };
  let offset = 0;
  for (const line of text.split('\n')) {
    if (VALIDITY_LINE.test(line)) {
      const dates = findDates(line).sort((a, b) => a.index - b.index);
      const evidence = line.trim();
      const at = (candidate: Candidate, confidence: number): Candidate => ({ value: candidate.value, confidence, evidence, index: offset + candidate.index });
      if (dates.length >= 2) {
        found.validFrom.push(at(dates[0]!, 0.85));
        found.validTo.push(at(dates[1]!, 0.85));
      } else if (dates.length === 1) {
        const before = line.slice(0, dates[0]!.index);
        if (END_WORD.test(before)) found.validTo.push(at(dates[0]!, 0.8));
        else if (START_WORD.test(before)) found.validFrom.push(at(dates[0]!, 0.8));
      }
    }
    offset += line.length + 1;
  }
  return found;
}

/** Agents named on the letter, in the order they appear. */
export function findAgents(text: string): Candidate[] {
  return [...text.matchAll(AGENT)].map((match) => ({
    value: match[1]!.trim(),
    confidence: 0.8,
    evidence: text.slice(text.lastIndexOf('\n', match.index) + 1, text.indexOf('\n', match.index) < 0 ? undefined : text.indexOf('\n', match.index)).trim(),
    index: match.index,
  }));
}
