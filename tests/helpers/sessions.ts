/** Logged-in connections for tests that drive the core through the contract, as every client must now. */
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import type { Role } from '../../src/shared/model';

export const TEST_PASSWORD = 'correct horse battery staple';

/** Creates the account when it does not exist yet (the first one through setup, as the first start does). */
export async function ensureUser(archive: Archive, username: string, role: Role): Promise<void> {
  if (archive.accounts.activeUser(username)) return;
  if (archive.accounts.count() === 0 && role === 'admin') await archive.accounts.setup({ username, password: TEST_PASSWORD });
  else {
    if (archive.accounts.count() === 0) await archive.accounts.setup({ username: 'admin', password: TEST_PASSWORD });
    await archive.accounts.create({ username, role, password: TEST_PASSWORD });
  }
}

/** A connection of `api` logged in as `username` with `role`. */
export async function clientAs(api: Api, archive: Archive, role: Role, username: string = role): Promise<ApiClient> {
  await ensureUser(archive, username, role);
  const client = api.connect();
  const login = await client.invoke('auth:login', { username, password: TEST_PASSWORD });
  if (!login.ok) throw new Error(`login as ${username} failed: ${login.error.message}`);
  return client;
}

/** A new Api over `archive` with one connection logged in as an administrator. */
export function adminClient(archive: Archive, username = 'admin'): Promise<ApiClient> {
  return clientAs(createApi(archive), archive, 'admin', username);
}

const sharedClients = new WeakMap<Archive, Promise<ApiClient>>();

/** One administrator connection per archive, for tests whose helpers make one call at a time. */
export function sharedAdminClient(archive: Archive, username = 'admin'): Promise<ApiClient> {
  let client = sharedClients.get(archive);
  if (!client) {
    client = adminClient(archive, username);
    sharedClients.set(archive, client);
  }
  return client;
}
