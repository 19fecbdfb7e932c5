/**
 * Which column of an export fills which ledger field: a saved mapping, one given with the call, or one guessed
 * from the headers ERPs commonly write (in Chinese and English). Saved mappings are archive data: each save
 * is audited with its old and new columns.
 */
import type { Database } from 'better-sqlite3';
import { SlipVaultError } from '../../../../shared/errors';
import { LEDGER_IMPORT_FIELDS, LEDGER_REQUIRED_FIELDS, type LedgerImportField, type LedgerMapping, type LedgerMappingColumns } from '../../../../shared/model';
import type { AuditLog } from '../../audit/audit-log';
import { inTransaction } from '../../db/transaction';

const HEADER_NAMES: Record<LedgerImportField, string[]> = {
  slipNo: ['slipno', 'slipnumber', 'slip', 'deliveryno', 'deliverynote', '单号', '送货单号', '回单号', '单据号', '单据编号', '出库单号', '发货单号', '运单号'],
  customer: ['customer', 'customername', 'client', '客户', '客户名称', '收货单位', '收货方', '购货单位'],
  issueDate: ['issuedate', 'date', 'shipdate', 'deliverydate', '日期', '单据日期', '发货日期', '开单日期', '出库日期', '送货日期'],
  expectedBackDate: ['expectedbackdate', 'expectedback', 'returnby', 'duedate', '应回日期', '回单期限', '应回单日期'],
  amount: ['amount', 'total', 'value', '金额', '总金额', '价税合计', '合计金额'],
  currency: ['currency', '币种', '币别'],
  invoiceNo: ['invoiceno', 'invoice', 'invoicenumber', '发票号', '发票号码', '发票编号'],
  owner: ['owner', 'chaser', 'clerk', '负责人', '跟单员', '跟单人', '业务员'],
  custody: ['custody', 'status', '状态', '回单状态', '单据状态'],
  exception: ['exception', '异常', '异常类型'],
  exceptionReason: ['exceptionreason', 'reason', '异常原因', '原因'],
};

const squeeze = (header: string) =>
  header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s._\-:：()（）#]/g, '');

export function guessColumns(headers: string[]): LedgerMappingColumns {
  const columns: LedgerMappingColumns = {};
  const taken = new Set<string>();
  for (const field of LEDGER_IMPORT_FIELDS) {
    const header = headers.find((candidate) => !taken.has(candidate) && HEADER_NAMES[field].includes(squeeze(candidate)));
    if (header !== undefined) {
      columns[field] = header;
      taken.add(header);
    }
  }
  return columns;
}

/** Required fields without a column, and mapped fields whose column the file does not have. */
export function missingColumns(columns: LedgerMappingColumns, headers: string[]): LedgerImportField[] {
  const present = new Set(headers);
  return LEDGER_IMPORT_FIELDS.filter((field) => {
    const header = columns[field];
    return header === undefined ? (LEDGER_REQUIRED_FIELDS as readonly string[]).includes(field) : !present.has(header);
  });
}

export class LedgerMappings {
  constructor(
    private readonly sqlite: Database,
    private readonly audit: AuditLog,
    private readonly now: () => string,
  ) {}

  list(): LedgerMapping[] {
    const rows = this.sqlite.prepare('SELECT name, columns, updated_at FROM ledger_mappings ORDER BY name').all() as {
      name: string;
      columns: string;
      updated_at: string;
    }[];
    return rows.map((row) => ({ name: row.name, columns: JSON.parse(row.columns) as LedgerMappingColumns, updatedAt: row.updated_at }));
  }

  get(name: string): LedgerMapping {
    const found = this.list().find((mapping) => mapping.name === name);
    if (!found) {
      const names = this.list().map((mapping) => mapping.name);
      throw new SlipVaultError('NOT_FOUND', `There is no saved mapping "${name}"${names.length > 0 ? ` (saved: ${names.join(', ')})` : ''}.`, {
        name,
      }).withMessage('ledger.mappingNotFound', { name });
    }
    return found;
  }

  save(name: string, columns: LedgerMappingColumns): LedgerMapping {
    return inTransaction(this.sqlite, () => {
      const before = this.list().find((mapping) => mapping.name === name) ?? null;
      const now = this.now();
      this.sqlite
        .prepare(
          `INSERT INTO ledger_mappings (name, columns, created_at, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET columns = excluded.columns, updated_at = excluded.updated_at`,
        )
        .run(name, JSON.stringify(columns), now, now);
      this.audit.append({
        action: 'ledger.mapping.save',
        targetType: 'ledger-mapping',
        targetId: name,
        details: { from: before?.columns ?? null, to: columns },
      });
      return { name, columns, updatedAt: now };
    });
  }
}
