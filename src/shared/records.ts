/**
 * The records a signed slip depends on (issue 18): the customer register, signers, letters of authority
 * (授权书) and where the paper is. Types both sides see and the input schemas of their contract calls.
 */
import { z } from 'zod';
import { documentRef } from './document-ref';

const isoDate = z.iso.date({ message: 'date must be a real calendar date written YYYY-MM-DD' });
const optionalText = (max: number) => z.union([z.string().trim().max(max), z.null()]).transform((value) => (value === '' ? null : value));
const customerName = z.string().trim().min(1, 'a customer needs a name').max(200);
const customerKey = z.union([z.number().int().positive(), customerName]);
const amount = z
  .string()
  .trim()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, 'amount must be a non-negative number with at most 2 decimals, e.g. 1234.50');

export interface CustomerContact {
  name: string;
  phone?: string;
  email?: string;
  role?: string;
}

export interface CustomerDetail {
  id: number;
  name: string;
  aliases: string[];
  code: string | null;
  crmId: string | null;
  contacts: CustomerContact[];
  notes: string;
  /** Days after a slip's issue date it is expected back signed (the slip ledger's deadline). */
  returnDeadlineDays: number;
  /** Documents (voided ones included) that name this customer now. */
  documents: number;
  signers: SignerRecord[];
}

const contact = z
  .object({
    name: z.string().trim().min(1, 'a contact needs a name').max(100),
    phone: z.string().trim().max(50).optional(),
    email: z.string().trim().max(200).optional(),
    role: z.string().trim().max(100).optional(),
  })
  .strict();

/** The editable fields of a customer; `name` differing from the stored one is a rename (the old name becomes an alias). */
export const customerFields = {
  name: customerName,
  aliases: z.array(z.string().trim().min(1).max(200)).max(50),
  code: optionalText(50),
  crmId: optionalText(100),
  contacts: z.array(contact).max(50),
  notes: z.string().max(20_000),
  returnDeadlineDays: z.number().int().min(1, 'a return deadline is at least 1 day').max(365, 'a return deadline is at most 365 days'),
};

export const customerSaveInput = z
  .object({
    /** Absent: a new customer. */
    id: z.number().int().positive().optional(),
    name: customerFields.name,
    aliases: customerFields.aliases.optional(),
    code: customerFields.code.optional(),
    crmId: customerFields.crmId.optional(),
    contacts: customerFields.contacts.optional(),
    notes: customerFields.notes.optional(),
    returnDeadlineDays: customerFields.returnDeadlineDays.optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export type CustomerSaveInput = z.output<typeof customerSaveInput>;

export const customerMergeInput = z.object({ from: customerKey, into: customerKey, reason: z.string().trim().max(500).optional() }).strict();

export interface CustomerMergeResult {
  into: CustomerDetail;
  mergedName: string;
  /** Archive numbers of the documents that got a new version naming the surviving customer. */
  documents: string[];
}

/** Where an import's columns go: customer field → the column heading in the file. */
export const CUSTOMER_IMPORT_FIELDS = ['name', 'code', 'crmId', 'aliases', 'contactName', 'contactPhone', 'contactEmail', 'notes'] as const;
export type CustomerImportField = (typeof CUSTOMER_IMPORT_FIELDS)[number];
export const customerMapping = z.partialRecord(z.enum(CUSTOMER_IMPORT_FIELDS), z.string().trim().min(1).max(200));
export type CustomerMapping = z.output<typeof customerMapping>;

export const customerImportInput = z
  .object({
    path: z.string().min(1, 'a CSV or XLSX file to import is required').max(4096),
    /** A preset (fxiaoke, zoho), a saved mapping's name, or an explicit mapping. */
    preset: z.string().trim().min(1).max(100).optional(),
    mapping: customerMapping.optional(),
    encoding: z.enum(['utf-8', 'gb18030'], { message: 'encoding is utf-8 or gb18030' }).optional(),
    /** Parse and check every row, change nothing: the mapping preview. */
    dryRun: z.boolean().default(false),
    /** Saves the mapping used under this name for the next import. */
    saveMappingAs: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export interface CustomerImportRow {
  /** Line of the file (the heading is line 1). */
  line: number;
  action: 'create' | 'update' | 'unchanged';
  name: string;
  code: string | null;
  crmId: string | null;
}

export interface CustomerImportResult {
  encoding: 'utf-8' | 'gb18030';
  headers: string[];
  mapping: CustomerMapping;
  rows: CustomerImportRow[];
  created: number;
  updated: number;
  dryRun: boolean;
}

/** One refused row of an import (the VALIDATION error's details.rows). */
export interface CustomerImportProblem {
  line: number;
  problems: string[];
}

export const customerExportInput = z.object({ path: z.string().min(1, 'a file to write is required').max(4096) }).strict();

// ---- signers ----

export interface SignerRecord {
  id: number;
  customerId: number;
  customer: string;
  name: string;
  title: string | null;
  contact: string | null;
  validFrom: string | null;
  validTo: string | null;
  /** Blob hashes of the scanned specimens. */
  signatureBlob: string | null;
  sealBlob: string | null;
}

export const signerSaveInput = z
  .object({
    id: z.number().int().positive().optional(),
    customer: customerKey,
    name: z.string().trim().min(1, 'a signer needs a name').max(100),
    title: optionalText(100).optional(),
    contact: optionalText(200).optional(),
    validFrom: z.union([isoDate, z.null()]).optional(),
    validTo: z.union([isoDate, z.null()]).optional(),
    /** Image files (JPG, PNG) of the specimen signature and seal, stored as blobs. */
    signatureImage: z.string().min(1).max(4096).optional(),
    sealImage: z.string().min(1).max(4096).optional(),
  })
  .strict()
  .refine((signer) => !signer.validFrom || !signer.validTo || signer.validFrom <= signer.validTo, {
    message: 'validTo is before validFrom',
    path: ['validTo'],
  });

// ---- authorizations (授权书) ----

export const AUTHORIZATION_STATES = ['draft', 'active', 'expiring', 'expired', 'revoked', 'superseded'] as const;
export type AuthorizationState = (typeof AUTHORIZATION_STATES)[number];
/** Days before the end in force at which an authorization warns, loudest last. */
export const EXPIRY_WARNINGS = [60, 30, 7] as const;
export const DEFAULT_REVIEW_MONTHS = 12;

export interface AuthorizationAgent {
  name: string;
  idNumber?: string;
}

export interface AuthorizationScope {
  matters: string[];
  /** Document type codes; empty: every type. */
  documentTypes: string[];
  sites: string[];
  /** Decimal amount per slip; null: no cap. */
  amountCap: string | null;
}

export interface AuthorizationRecord {
  id: number;
  customer: string;
  customerId: number;
  state: AuthorizationState;
  agents: AuthorizationAgent[];
  scope: AuthorizationScope;
  validFrom: string;
  /** null: until revoked. */
  validTo: string | null;
  reviewDate: string | null;
  /** The end in force now: validTo, else the review date of an authorization valid until revoked. */
  endInForce: string | null;
  /** Days from the clock's date to endInForce (negative once past). */
  daysToEnd: number | null;
  /** The warning threshold reached (60, 30, 7 days), while expiring. */
  warning: (typeof EXPIRY_WARNINGS)[number] | null;
  verificationMethod: string | null;
  verificationAttachments: string[];
  grantingDocument: string | null;
  revokingDocument: string | null;
  revokedOn: string | null;
  revokeReason: string | null;
  supersedes: number | null;
  supersededBy: number | null;
}

const agent = z.object({ name: z.string().trim().min(1, 'an agent needs a name').max(100), idNumber: z.string().trim().min(1).max(40).optional() }).strict();

export const authorizationFields = z
  .object({
    customer: customerKey,
    agents: z.array(agent).min(1, 'name at least one agent who may sign').max(50),
    scope: z
      .object({
        matters: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
        documentTypes: z.array(z.string().trim().min(1).max(40)).max(50).default([]),
        sites: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
        amountCap: z.union([amount, z.null()]).default(null),
      })
      .strict(),
    validFrom: isoDate,
    validTo: z.union([isoDate, z.null()]).default(null),
    reviewDate: z.union([isoDate, z.null()]).optional(),
    verificationMethod: optionalText(200).optional(),
    /** Files (scans of the ID card, a call-back note) stored as blobs. */
    verificationAttachments: z.array(z.string().min(1).max(4096)).max(20).optional(),
    grantingDocument: documentRef.optional(),
    supersedes: z.number().int().positive().optional(),
    /** Leave as a draft instead of putting it in force. */
    draft: z.boolean().default(false),
  })
  .strict();

export const authorizationSaveInput = authorizationFields.extend({ id: z.number().int().positive().optional() }).strict();
export type AuthorizationSaveInput = z.output<typeof authorizationSaveInput>;

export const authorizationRevokeInput = z
  .object({
    id: z.number().int().positive(),
    revokedOn: isoDate,
    reason: z.string().trim().min(1, 'a reason is required to revoke an authorization').max(500),
    revokingDocument: documentRef.optional(),
  })
  .strict();

export const authorizationListInput = z
  .object({
    customer: customerKey.optional(),
    /** Only those whose end in force is at most this many days away (expiring and already expired). */
    expiringWithinDays: z.number().int().min(0).max(3650).optional(),
    /** The clock the states are computed on (YYYY-MM-DD); default today. */
    on: isoDate.optional(),
  })
  .strict();

export const SIGNING_VERDICTS = ['green', 'amber', 'red'] as const;
export type SigningVerdict = (typeof SIGNING_VERDICTS)[number];

/** Why a slip's signature is or is not covered (shown translated by code). */
export type SigningReason =
  | 'authorized'
  | 'no-customer'
  | 'no-signer'
  | 'no-signed-date'
  | 'no-authorization'
  | 'not-yet-valid'
  | 'expired'
  | 'signed-after-revocation'
  | 'superseded'
  | 'type-out-of-scope'
  | 'amount-over-cap';

export interface SigningCheck {
  verdict: SigningVerdict;
  reason: SigningReason;
  message: string;
  /** The authorization that decided it, when one did. */
  authorizationId: number | null;
}

/** The filing form's check: the document's stored fields, overridden by what the form holds now. */
export const signingCheckInput = z
  .object({
    ref: documentRef.optional(),
    customer: optionalText(200).optional(),
    signer: optionalText(200).optional(),
    type: z.union([z.string().trim().max(40), z.null()]).optional(),
    signedDate: z.union([isoDate, z.null()]).optional(),
    amount: z.union([amount, z.null()]).optional(),
  })
  .strict();

// ---- where the paper is ----

export const LOCATION_KINDS = ['cabinet', 'shelf', 'box'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export interface StorageLocation {
  code: string;
  kind: LocationKind;
  label: string;
  parentCode: string | null;
  /** Codes from the cabinet down to this one, e.g. ["A", "A-3", "B2026-014"]. */
  path: string[];
  documents: number;
}

export const locationCode = z
  .string()
  .trim()
  .min(1, 'a location needs a code')
  .max(40)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, 'a location code is letters, digits, dot, dash or underscore');

export const locationSaveInput = z
  .object({
    code: locationCode,
    kind: z.enum(LOCATION_KINDS, { message: 'kind is cabinet, shelf or box' }),
    label: z.string().trim().max(200).default(''),
    parentCode: z.union([locationCode, z.null()]).default(null),
  })
  .strict();

export const documentLocationInput = z
  .object({ ref: documentRef, location: z.union([locationCode, z.null()]), reason: z.string().trim().max(500).optional() })
  .strict();

export const boxLabelInput = z.object({ box: locationCode, out: z.string().min(1, 'a file to write the label to is required').max(4096) }).strict();

export interface BoxLabelResult {
  box: string;
  path: string[];
  documents: string[];
  out: string;
  sha256: string;
}
