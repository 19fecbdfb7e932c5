import { userInfo } from 'node:os';

/** Who is acting, until user accounts exist: SLIPVAULT_USER, else the operating-system user. */
export function defaultActor(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SLIPVAULT_USER?.trim();
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
