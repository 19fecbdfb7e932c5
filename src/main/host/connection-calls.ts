/**
 * The answers to a page's `connection:*` calls (src/shared/server-connection.ts): checked like contract
 * calls (a strict input, a specific refusal), answered by the host's routing, never by an archive.
 */
import { z } from 'zod';
import { SlipVaultError } from '../../shared/errors';
import { toErrorPayload } from '../core/error-payload';
import { describeIssues, fieldIssues } from '../../shared/messages';
import type { ConnectionCall, ConnectionCalls, ConnectionResult } from '../../shared/server-connection';
import type { RoutedConnection, ServerRouting } from './server-routing';

const server = z.string().trim().min(1).max(300);
const INPUTS = {
  'connection:status': z.object({}).strict(),
  'connection:probe': z.object({ server }).strict(),
  'connection:trust': z.object({ server, fingerprint: z.string().trim().min(1).max(200) }).strict(),
  'connection:useLocal': z.object({}).strict(),
  // --- issue 20 item 4: the offline copies of recently opened documents ---
  'connection:openOffline': z.object({ username: z.string().trim().min(1).max(200), password: z.string().min(1).max(1024) }).strict(),
  'connection:closeOffline': z.object({}).strict(),
  // issue 20 item 4: the offline queue
  'connection:queue': z.object({}).strict(),
  'connection:retryQueued': z.object({ id: z.string().min(1).max(100).optional() }).strict(),
  'connection:removeQueued': z.object({ id: z.string().min(1).max(100) }).strict(),
} satisfies Record<ConnectionCall, z.ZodType>;

async function answer(routing: ServerRouting, route: RoutedConnection, call: ConnectionCall, input: unknown): Promise<unknown> {
  const parsed = INPUTS[call].safeParse(input ?? {});
  if (!parsed.success) {
    throw new SlipVaultError('VALIDATION', `Invalid input for ${call}: ${describeIssues(parsed.error.issues)}.`, { method: call })
      .withMessage('input.invalid', { method: call })
      .withIssues(fieldIssues(parsed.error.issues));
  }
  switch (call) {
    case 'connection:status':
      return route.status();
    case 'connection:probe':
      return routing.probe((parsed.data as { server: string }).server);
    case 'connection:trust': {
      const given = parsed.data as { server: string; fingerprint: string };
      return route.trust(given.server, given.fingerprint);
    }
    case 'connection:useLocal':
      routing.useLocal();
      return routing.status();
    // --- issue 20 item 4: the offline copies of recently opened documents ---
    case 'connection:openOffline': {
      const given = parsed.data as { username: string; password: string };
      return route.openOffline(given.username, given.password);
    }
    case 'connection:closeOffline':
      return route.closeOffline();
    case 'connection:queue':
      return route.queueStatus();
    case 'connection:retryQueued':
      return route.retryQueued((parsed.data as { id?: string }).id);
    case 'connection:removeQueued':
      return route.removeQueued((parsed.data as { id: string }).id);
  }
}

export async function handleConnectionCall<C extends ConnectionCall>(
  routing: ServerRouting,
  route: RoutedConnection,
  call: C,
  input: unknown,
): Promise<ConnectionResult<C>> {
  try {
    return { ok: true, value: (await answer(routing, route, call, input)) as ConnectionCalls[C]['output'] };
  } catch (error) {
    // A file-system error writing the trusted servers is a storage error; anything else logged under an id.
    return { ok: false, error: toErrorPayload(error) };
  }
}
