/**
 * Autocomplete for the search box: given the word being typed, what it could become — a field name
 * (`customer:`), a customer (by name or alias), a document type, a tag, a status, or a slip-number prefix —
 * each with the query text that replaces the word. Matching uses the search's own normalisation
 * (full-width, case), so what is suggested is what the search will find.
 */
import type Database from 'better-sqlite3';
import { DOCUMENT_STATUSES, type SearchSuggestion } from '../../../shared/model';
import { normaliseText } from './text-units';

const FIELDS = ['customer', 'type', 'tag', 'status', 'slip', 'signer', 'date', 'amount', 'sort'] as const;
const KIND_ORDER: Record<SearchSuggestion['kind'], number> = { field: 0, customer: 1, type: 2, tag: 3, status: 4, slip: 5 };
/** Slip numbers looked at per keystroke; enough to group them into the prefixes worth showing. */
const SLIP_SCAN = 2000;

interface Candidate extends SearchSuggestion {
  /** 0 = starts with what was typed, 1 = contains it. */
  quality: number;
  customerId?: number;
}

const quoteValue = (value: string) => (/[\s"]/.test(value) ? `"${value.replace(/"/g, '')}"` : value);

function qualityOf(typed: string, ...names: string[]): number | null {
  let best: number | null = null;
  for (const name of names) {
    const normalised = normaliseText(name);
    if (normalised.startsWith(typed)) return 0;
    if (normalised.includes(typed)) best = 1;
  }
  return best;
}

export class SearchSuggester {
  private readonly statements;

  constructor(sqlite: Database.Database) {
    this.statements = {
      customers: sqlite.prepare<[], { id: number; name: string; aliases: string | null }>('SELECT id, name, aliases FROM customers'),
      customerCount: sqlite.prepare<[number], number>("SELECT count(*) FROM documents WHERE customer_id = ? AND status <> 'voided'").pluck(),
      types: sqlite.prepare<[], { code: string; zh: string; en: string }>('SELECT code, name_zh AS zh, name_en AS en FROM document_types'),
      tags: sqlite.prepare<[], string>('SELECT name FROM tags').pluck(),
      // A range on the slip-number index (LIKE would ignore it: it folds case).
      slips: sqlite
        .prepare<[string, string, number], string>(
          "SELECT slip_no FROM documents WHERE slip_no >= ? AND slip_no < ? AND status <> 'voided' ORDER BY slip_no LIMIT ?",
        )
        .pluck(),
    };
  }

  /** `prefix` is the word being typed (optionally `field:` + the start of a value); best suggestions first. */
  suggest(prefix: string, limit: number): SearchSuggestion[] {
    const word = prefix.trim();
    if (word === '') return [];
    const fieldMatch = /^-?([a-z]+):(.*)$/i.exec(word);
    const field = fieldMatch?.[1]!.toLowerCase();
    const typed = normaliseText(fieldMatch ? fieldMatch[2]! : word);
    const wanted = (kind: SearchSuggestion['kind']) => field === undefined || field === kind;
    const candidates: Candidate[] = [];

    if (field === undefined) {
      for (const name of FIELDS) {
        if (name.startsWith(typed)) candidates.push({ kind: 'field', label: `${name}:`, insert: `${name}:`, quality: 0 });
      }
    }
    if (wanted('customer')) {
      for (const customer of this.statements.customers.all()) {
        const aliases = JSON.parse(customer.aliases ?? '[]') as string[];
        const quality = qualityOf(typed, customer.name, ...aliases);
        if (quality === null) continue;
        candidates.push({
          kind: 'customer',
          label: customer.name,
          insert: `customer:${quoteValue(customer.name)}`,
          ...(aliases.length > 0 ? { detail: aliases.join(' / ') } : {}),
          quality,
          customerId: customer.id,
        });
      }
    }
    if (wanted('type')) {
      for (const type of this.statements.types.all()) {
        const quality = qualityOf(typed, type.code, type.zh, type.en);
        if (quality !== null) candidates.push({ kind: 'type', label: type.zh, detail: type.en, insert: `type:${type.code}`, quality });
      }
    }
    if (wanted('tag')) {
      for (const tag of this.statements.tags.all()) {
        const quality = qualityOf(typed, tag);
        if (quality !== null) candidates.push({ kind: 'tag', label: tag, insert: `tag:${quoteValue(tag)}`, quality });
      }
    }
    if (field === 'status') {
      for (const status of DOCUMENT_STATUSES) {
        if (status.startsWith(typed)) candidates.push({ kind: 'status', label: status, insert: `status:${status}`, quality: 0 });
      }
    }
    if (wanted('slip') && typed !== '') candidates.push(...this.slipPrefixes(fieldMatch ? fieldMatch[2]! : word));

    // Customers are ranked by how many documents they have; counted only for the ones that could be shown.
    const ranked = candidates.sort((a, b) => a.quality - b.quality || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.label.length - b.label.length);
    const shown = ranked.slice(0, limit * 3);
    for (const candidate of shown) {
      if (candidate.customerId !== undefined) candidate.count = this.statements.customerCount.get(candidate.customerId)!;
    }
    return shown
      .sort((a, b) => a.quality - b.quality || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (b.count ?? 0) - (a.count ?? 0) || a.label.length - b.label.length)
      .slice(0, limit)
      .map(({ quality: _quality, customerId: _customerId, ...suggestion }) => suggestion);
  }

  /**
   * Slip numbers starting with what was typed, grouped by their next part (SO → SO-2026*, SO-2026-0 → SO-2026-04*),
   * or whole slip numbers when what was typed is already in the last part. Slip numbers are compared as
   * stored, in capitals (as extraction writes them).
   */
  private slipPrefixes(typed: string): Candidate[] {
    const upper = typed.toUpperCase();
    const groups = new Set<string>();
    for (const slip of this.statements.slips.all(upper, `${upper}\uffff`, SLIP_SCAN)) {
      const rest = slip.slice(upper.length + 1);
      const cut = rest.search(/[^\p{L}\p{N}]/u);
      const group = cut < 0 ? slip : `${slip.slice(0, upper.length + 1 + cut)}*`;
      groups.add(group);
    }
    return [...groups].map((group) => ({ kind: 'slip', label: group, insert: `slip:${group}`, quality: 0 }));
  }
}
