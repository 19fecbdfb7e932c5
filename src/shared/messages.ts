/**
 * Sentences the core says to a user, as data. Each carries a message key and its parameters, which the UI
 * translates into the user's language (src/renderer/i18n, under `core.<key>`), and the English text, which the
 * CLI prints and the UI falls back to for a key it does not know. `tests/unit/core-messages.test.ts` reads every
 * key out of the sources and fails when zh-CN or en lacks one.
 */
import type { z } from 'zod';

export type MessageParams = Record<string, string | number>;

export interface CoreMessage {
  key: string;
  params: MessageParams;
  text: string;
}

export function coreMessage(key: string, params: MessageParams, text: string): CoreMessage {
  return { key, params, text };
}

/**
 * One refused field of an input, as the UI names it: the field's path and what is wrong with it, the zod issue
 * kind (`invalid_format`, `too_small`, …) plus the limit where there is one. The UI words each from these.
 */
export interface FieldIssue {
  field: string;
  issue: string;
  limit?: number;
}

export function fieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => {
    const telling = tellingIssue(issue);
    const limit = 'minimum' in telling ? Number(telling.minimum) : 'maximum' in telling ? Number(telling.maximum) : undefined;
    const field = issue.path.map(String).join('.');
    return limit === undefined || Number.isNaN(limit) ? { field, issue: telling.code } : { field, issue: telling.code, limit };
  });
}

/**
 * A value refused by every branch of a union (`amount: decimal | null`) says most in the branch that got past
 * its type check: "not in the format" rather than "not a union member".
 */
function tellingIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const inner = issue.errors.flat().find((candidate) => candidate.code !== 'invalid_type');
  return inner ?? issue;
}

/** The English a field issue list stands for: `path: zod's message; …` (what the CLI prints). */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message)).join('; ');
}
