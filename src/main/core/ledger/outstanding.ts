/**
 * The SQL test for a live outstanding row (not cancelled; sent, or signed at the customer), over ledger_rows
 * aliased `r`. The outstanding partial indexes of ledger_rows (schema.ts) are declared with this same test:
 * SQLite uses a partial index only when the query states its WHERE term for term, so every query that wants
 * them uses this text and no other spelling of it.
 */
import { OUTSTANDING_STEPS } from '../../../shared/model';

export const OUTSTANDING = `r.custody IN (${OUTSTANDING_STEPS.map((step) => `'${step}'`).join(', ')})`;

export const LIVE_OUTSTANDING = `r.cancelled_at IS NULL AND ${OUTSTANDING}`;
