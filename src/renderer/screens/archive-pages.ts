/**
 * The Archive screen's list, paged on the owner's side: `total` rows, of which only the pages near the
 * viewport are ever fetched (documents:list by offset, one statement per page in the core). A document
 * change reloads the pages in view and the page holding that document, not the list: when no row moved
 * (same total, same documents in the same places) the other loaded pages are kept as they are.
 */
import type { InputOf, SlipVaultClient } from '../../shared/contract';
import type { DocumentList, DocumentSort, DocumentStatus, DocumentSummary } from '../../shared/model';
import { pagesToLoad } from '../search/result-pages';

export type ArchiveFilter = 'active' | DocumentStatus | 'all';
export const ARCHIVE_FILTERS: ArchiveFilter[] = ['active', 'inbox', 'filed', 'voided', 'all'];
export const ARCHIVE_PAGE_SIZE = 100;
export const DEFAULT_SORT: DocumentSort = { by: 'created', direction: 'desc' };

function listInput(filter: ArchiveFilter, sort: DocumentSort, text: string, offset: number): InputOf<'documents:list'> {
  const window = { limit: ARCHIVE_PAGE_SIZE, offset, sort, ...(text.trim() ? { text: text.trim() } : {}) };
  if (filter === 'active') return window;
  if (filter === 'all') return { includeVoided: true, ...window };
  return { status: filter, includeVoided: filter === 'voided', ...window };
}

const sameDocuments = (before: DocumentSummary[], after: DocumentSummary[]) =>
  before.length === after.length && before.every((row, index) => row.id === after[index]!.id);

interface ArchivePagesOptions {
  client: Pick<SlipVaultClient, 'call'>;
  filter: ArchiveFilter;
  sort: DocumentSort;
  /** The text filter (archive number, title, customer, slip number, signer); absent or '' for none. */
  text?: string;
  /** Called after every change of what rowAt / total / loadedRows answer. */
  onUpdate: () => void;
  onError: (reason: unknown) => void;
}

export class ArchivePages {
  private pages = new Map<number, DocumentSummary[]>();
  private readonly loading = new Set<number>();
  /** Bumped when the loaded pages are replaced; a load begun before then is stale and dropped. */
  private generation = 0;
  private view = { first: 0, last: 0 };
  /** Changed documents not yet covered by a finished refresh. */
  private readonly changed = new Set<number>();
  total: number | null = null;

  constructor(private readonly options: ArchivePagesOptions) {}

  rowAt(index: number): DocumentSummary | undefined {
    return this.pages.get(Math.floor(index / ARCHIVE_PAGE_SIZE))?.[index % ARCHIVE_PAGE_SIZE];
  }

  get loadedRows(): number {
    let rows = 0;
    for (const page of this.pages.values()) rows += page.length;
    return rows;
  }

  private fetch(page: number): Promise<DocumentList> {
    return this.options.client.call('documents:list', listInput(this.options.filter, this.options.sort, this.options.text ?? '', page * ARCHIVE_PAGE_SIZE));
  }

  /** Rows first..last are on screen: loads the pages covering them that are neither loaded nor loading. */
  async show(first: number, last: number): Promise<void> {
    this.view = { first, last };
    const missing = pagesToLoad(first, last, new Set([...this.pages.keys(), ...this.loading]), ARCHIVE_PAGE_SIZE);
    const generation = this.generation;
    await Promise.all(
      missing.map(async (page) => {
        this.loading.add(page);
        try {
          const list = await this.fetch(page);
          if (generation !== this.generation) return;
          this.pages.set(page, list.items);
          this.total = list.total;
          this.options.onUpdate();
        } catch (reason) {
          if (generation === this.generation) this.options.onError(reason);
        } finally {
          // Forgotten on failure too, so that showing the rows again retries.
          if (generation === this.generation) this.loading.delete(page);
        }
      }),
    );
  }

  /** Documents changed (the ids documents:changed carried): reloads what shows them, and the total. */
  async refresh(ids: Iterable<number>): Promise<void> {
    for (const id of ids) this.changed.add(id);
    const covered = new Set(this.changed);
    const inView = pagesToLoad(this.view.first, this.view.last, new Set(), ARCHIVE_PAGE_SIZE);
    const affected = new Set(inView.length > 0 ? inView : [0]);
    for (const [page, rows] of this.pages) if (rows.some((row) => covered.has(row.id))) affected.add(page);
    const generation = ++this.generation;
    this.loading.clear();
    let fresh: [number, DocumentList][];
    try {
      fresh = await Promise.all([...affected].map(async (page): Promise<[number, DocumentList]> => [page, await this.fetch(page)]));
    } catch (reason) {
      if (generation === this.generation) this.options.onError(reason);
      return;
    }
    if (generation !== this.generation) return;
    const total = fresh[0]![1].total;
    const moved =
      total !== this.total ||
      fresh.some(([page, list]) => {
        const before = this.pages.get(page);
        return before !== undefined && !sameDocuments(before, list.items);
      });
    // Rows moved (a document came, went or changed place): pages not read just now may be out of date.
    if (moved) this.pages = new Map();
    for (const [page, list] of fresh) this.pages.set(page, list.items);
    this.total = total;
    for (const id of covered) this.changed.delete(id);
    this.options.onUpdate();
  }
}
