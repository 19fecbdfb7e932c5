/** A document reference: its archive number (SV-2026-000123) or its internal id. Its own module so that every schema module can use it without importing the whole contract. */
import { z } from 'zod';

export const documentRef = z.union([
  z.number().int().positive(),
  z
    .string()
    .trim()
    .min(1, 'a document reference is required')
    .max(64)
    .regex(/^(SV-\d{4}-\d{6}|\d+)$/i, 'a document is named by its archive number (SV-2026-000123) or its id'),
]);
