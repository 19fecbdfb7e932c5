/** The application menu: standard roles (with their platform shortcuts) plus the archive commands. */
import type { MenuItemConstructorOptions } from 'electron';
import type { Labels } from './labels';

export interface MenuActions {
  openArchive(): void;
  newArchive(): void;
  about(): void;
}

export function menuTemplate(labels: Labels, actions: MenuActions, options: { isMac: boolean; devTools: boolean }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(options.devTools ? ([{ role: 'forceReload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(options.isMac ? ([{ role: 'appMenu' }] as MenuItemConstructorOptions[]) : []),
    {
      label: labels.file,
      submenu: [
        { label: labels.openArchive, accelerator: 'CmdOrCtrl+O', click: () => actions.openArchive() },
        { label: labels.newArchive, accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newArchive() },
        { type: 'separator' },
        options.isMac ? { role: 'close' } : { role: 'quit', label: labels.quit, accelerator: 'Ctrl+Q' },
      ],
    },
    { label: labels.edit, role: 'editMenu' },
    { label: labels.view, submenu: view },
    { label: labels.window, role: 'windowMenu' },
    {
      label: labels.help,
      role: 'help',
      submenu: [{ label: labels.about, click: () => actions.about() }],
    },
  ];
}
