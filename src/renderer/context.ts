/** The platform (client, page URLs, upload) and a data revision every screen reloads on. */
import { createContext, useContext } from 'react';
import type { Method } from '../shared/contract';
import type { SessionUser } from '../shared/model';
import type { Platform } from './platform/platform';

export interface AppContextValue {
  platform: Platform;
  /** Bumped by F5 (document changes reach the screens showing them through useDocumentChanges). */
  revision: number;
  refresh: () => void;
  /** Who is logged in; null while the window is locked. */
  user: SessionUser | null;
  /** Whether the logged-in user's role may make this call (to hide what it may not). */
  may: (method: Method) => boolean;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
