/**
 * The records a signed slip depends on (issue 18), wired over one connection: the customer register and its
 * import, signers, authorizations with the filing check, and the storage locations of paper originals.
 */
import { today as localDay } from './retention/dates';
import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import { SlipVaultError } from '../../shared/errors';
import type { SigningCheck } from '../../shared/records';
import type { AuditLog } from './audit/audit-log';
import { AuthorizationStore } from './authorizations/authorizations';
import { checkSigning, type SlipFacts } from './authorizations/signing-check';
import { CustomerImport } from './customers/import';
import { CustomerRegister } from './customers/register';
import { SignerStore } from './customers/signers';
import type { Connection } from './db/connection';
import { customers, documentLocations, documents } from './db/schema';
import { toMinorUnits } from './documents/amount';
import type { DocumentService } from './documents/document-service';
import { LocationStore } from './locations/locations';
import type { BlobStore } from './store/blobs';

export interface RecordsDeps {
  connection: Connection;
  audit: AuditLog;
  blobs: BlobStore;
  documents: DocumentService;
  now: () => string;
  reindex: (documentId: number) => void;
}

/** What a slip's fields are for the check: the document's stored ones, replaced by any given (the form's). */
export interface SigningCheckRequest {
  ref?: number | string | undefined;
  customer?: string | null | undefined;
  signer?: string | null | undefined;
  type?: string | null | undefined;
  signedDate?: string | null | undefined;
  amount?: string | null | undefined;
}

export class Records {
  readonly customers: CustomerRegister;
  readonly customerImport: CustomerImport;
  readonly signers: SignerStore;
  readonly authorizations: AuthorizationStore;
  readonly locations: LocationStore;

  constructor(private readonly deps: RecordsDeps) {
    const { connection, audit, blobs, now } = deps;
    this.customers = new CustomerRegister({ connection, audit, documents: deps.documents, now, reindex: deps.reindex });
    this.customerImport = new CustomerImport({ connection, audit, register: this.customers, now });
    this.signers = new SignerStore({ connection, audit, blobs, now });
    this.authorizations = new AuthorizationStore({
      connection,
      audit,
      blobs,
      now,
      customerId: (key) => this.customers.find(key).id,
      documentId: (ref) => deps.documents.summary(ref).id,
    });
    this.locations = new LocationStore({ connection, audit, now });
  }

  private checkFacts(facts: SlipFacts): SigningCheck {
    const customer = facts.customer === null ? undefined : this.findCustomer(facts.customer);
    return checkSigning(facts, customer === undefined ? [] : this.authorizations.rows(customer));
  }

  private findCustomer(name: string): number | undefined {
    try {
      return this.customers.find(name).id;
    } catch (error) {
      if (error instanceof SlipVaultError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  signingCheck(request: SigningCheckRequest): SigningCheck {
    const stored = request.ref === undefined ? null : this.deps.documents.get(request.ref).metadata;
    const pick = <T>(given: T | undefined, fallback: T | null | undefined): T | null => (given !== undefined ? given : (fallback ?? null));
    const amount = pick(request.amount, stored?.amount);
    return this.checkFacts({
      customer: pick(request.customer, stored?.customer),
      signer: pick(request.signer, stored?.signer),
      type: pick(request.type, stored?.type),
      signedDate: pick(request.signedDate, stored?.signedDate),
      amountMinor: amount === null ? null : toMinorUnits(amount),
    });
  }

  /**
   * Documents a search filter on these records selects: `location:CODE` (kept there or anywhere under it),
   * `auth:green|amber|red` (the filing check of documents with a customer and a signer) and
   * `auth:<state>` (the granting documents of authorizations in that state today).
   */
  documentIds(field: 'auth' | 'location', value: string, today = localDay()): number[] {
    if (field === 'location') {
      return this.deps.connection.db
        .select({ id: documentLocations.documentId })
        .from(documentLocations)
        .where(inArray(documentLocations.locationCode, this.locations.within(value)))
        .all()
        .map((row) => row.id);
    }
    if (value === 'green' || value === 'amber' || value === 'red') {
      const { db } = this.deps.connection;
      const candidates = db
        .select({
          id: documents.id,
          customerId: documents.customerId,
          customer: customers.name,
          signer: documents.signer,
          type: documents.typeCode,
          signedDate: documents.signedDate,
          amountMinor: documents.amountMinor,
        })
        .from(documents)
        .innerJoin(customers, eq(customers.id, documents.customerId))
        .where(and(isNotNull(documents.signer), ne(documents.status, 'voided')))
        .all();
      const byCustomer = new Map<number, ReturnType<AuthorizationStore['rows']>>();
      return candidates
        .filter((candidate) => {
          if (!byCustomer.has(candidate.customerId!)) byCustomer.set(candidate.customerId!, this.authorizations.rows(candidate.customerId!));
          return checkSigning(candidate, byCustomer.get(candidate.customerId!)!).verdict === value;
        })
        .map((candidate) => candidate.id);
    }
    return this.authorizations
      .list({}, today)
      .filter((record) => record.state === value && record.grantingDocument !== null)
      .map((record) => this.deps.documents.summary(record.grantingDocument!).id);
  }
}
