/** The platform (client, page URLs, upload) and a data revision every screen reloads on. */
import { createContext, useContext } from 'react';
import type { Platform } from './platform/platform';

export interface AppContextValue {
  platform: Platform;
  /** Bumped by F5 and by documents:changed. */
  revision: number;
  refresh: () => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
