/**
 * The shapes verify expects of a package's JSON members. A package comes from outside, so every field
 * is checked before it is used; a mismatch names the member and the field.
 */
import { z } from 'zod';
import { PROOF_FORMAT, PROOF_FORMAT_VERSION } from './layout';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');
const head = z.object({ seq: z.number().int().positive(), hash: sha256 });

export const manifestSchema = z.object({
  format: z.literal(PROOF_FORMAT),
  formatVersion: z.literal(PROOF_FORMAT_VERSION),
  packageId: z.string().min(1),
  archive: z.object({ id: z.string(), createdAt: z.string() }),
  exportedBy: z.string(),
  exportedAt: z.string(),
  documents: z
    .array(
      z.object({
        archiveNo: z.string().min(1),
        title: z.string(),
        status: z.string(),
        currentVersion: z.number().int().positive(),
        versions: z.string(),
        files: z.string(),
      }),
    )
    .min(1),
  auditTrail: z.object({ member: z.string(), fromSeq: z.number().int().positive(), head, hashRule: z.string() }),
  signedHead: z
    .object({ archiveId: z.string(), seq: z.number(), hash: sha256, at: z.string(), keyId: z.string(), signature: z.string(), publicKey: z.string() })
    .optional(),
  members: z.array(z.object({ path: z.string(), sha256, size: z.number().int().nonnegative() })),
});

export const eventSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: sha256,
  hash: sha256,
});

export const exportDetailsSchema = z.object({
  packageId: z.string(),
  archiveId: z.string(),
  documents: z.array(z.string()),
  fromSeq: z.number().int().positive(),
  members: z.record(z.string(), sha256),
});

const page = z.object({ blobHash: sha256 });

export const versionsSchema = z.object({
  archiveNo: z.string(),
  versions: z.array(
    z.object({
      number: z.number().int().positive(),
      createdAt: z.string(),
      actor: z.string(),
      action: z.string(),
      reason: z.string().nullable(),
      snapshot: z.object({ metadata: z.object({ title: z.string(), status: z.string() }), pages: z.array(page) }),
    }),
  ),
});

export const filesSchema = z.object({
  archiveNo: z.string(),
  files: z.array(z.object({ sha256, member: z.string(), filename: z.string(), mime: z.string(), size: z.number().int().nonnegative() })),
});

/** "field.path: what was wrong" for the first issue, or null when the value fits. */
export function schemaProblem(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}
