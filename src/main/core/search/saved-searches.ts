/**
 * Named searches: the query text is stored and re-run each time (so a saved search always shows current
 * results). A query is parsed before it is saved; a removed search keeps its row (removed_at set).
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { SavedSearch } from '../../../shared/model';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { savedSearches } from '../db/schema';
import { parseQuery } from './query-parser';
import { inTransaction } from '../db/transaction';

const columns = {
  id: savedSearches.id,
  name: savedSearches.name,
  query: savedSearches.query,
  createdAt: savedSearches.createdAt,
  updatedAt: savedSearches.updatedAt,
};

export class SavedSearches {
  constructor(
    private readonly connection: Connection,
    private readonly audit: AuditLog,
    private readonly now: () => string,
  ) {}

  list(): SavedSearch[] {
    return this.connection.db.select(columns).from(savedSearches).where(isNull(savedSearches.removedAt)).orderBy(asc(savedSearches.name)).all();
  }

  private live(name: string) {
    return this.connection.db
      .select(columns)
      .from(savedSearches)
      .where(and(eq(savedSearches.name, name), isNull(savedSearches.removedAt)))
      .get();
  }

  get(name: string): SavedSearch {
    const found = this.live(name);
    if (!found) throw new SlipVaultError('NOT_FOUND', `There is no saved search named "${name}".`, { name }).withMessage('search.savedNotFound', { name });
    return found;
  }

  /** Creates the search, or replaces the query of the search with this name. */
  save(name: string, query: string): SavedSearch {
    parseQuery(query);
    return inTransaction(this.connection.sqlite, () => {
      const now = this.now();
      const existing = this.live(name);
      if (existing) {
        this.connection.db.update(savedSearches).set({ query, updatedAt: now }).where(eq(savedSearches.id, existing.id)).run();
      } else {
        this.connection.db.insert(savedSearches).values({ name, query, createdAt: now, updatedAt: now }).run();
      }
      this.audit.append({ action: existing ? 'search.saved.update' : 'search.saved.create', details: { name, query } });
      return this.get(name);
    });
  }

  remove(name: string): void {
    inTransaction(this.connection.sqlite, () => {
      const existing = this.get(name);
      this.connection.db.update(savedSearches).set({ removedAt: this.now() }).where(eq(savedSearches.id, existing.id)).run();
      this.audit.append({ action: 'search.saved.remove', details: { name, query: existing.query } });
    });
  }
}
