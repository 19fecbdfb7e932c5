/**
 * The screens of the side menu, in order; Alt+1…9 opens them. The Inbox screen (OCR suggestions) joins this
 * list when its contract calls exist; nothing here pretends they do.
 */
import { CloudUploadOutlined, DatabaseOutlined, ImportOutlined, SearchOutlined, SettingOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { BackupScreen } from '../backup/BackupScreen';
import { SearchScreen } from '../search/SearchScreen';
import { ArchiveScreen } from './ArchiveScreen';
import { ImportScreen } from './ImportScreen';
import { SettingsScreen } from './SettingsScreen';

/** What a screen gets from the shell. */
export interface ScreenProps {
  navigate: (key: string) => void;
  /** Files dropped anywhere on the window, waiting for the Import screen to take them. */
  dropped: File[];
  takeDropped: () => File[];
}

export interface ScreenDefinition {
  key: string;
  /** i18n key of the menu label. */
  label: string;
  icon: ReactNode;
  render: (props: ScreenProps) => ReactNode;
}

export const SCREENS: ScreenDefinition[] = [
  { key: 'archive', label: 'menu.archive', icon: <DatabaseOutlined />, render: () => <ArchiveScreen /> },
  { key: 'import', label: 'menu.import', icon: <ImportOutlined />, render: (props) => <ImportScreen onDone={() => props.navigate('archive')} dropped={props.dropped} takeDropped={props.takeDropped} /> },
  { key: 'search', label: 'menu.search', icon: <SearchOutlined />, render: () => <SearchScreen /> },
  { key: 'backup', label: 'menu.backup', icon: <CloudUploadOutlined />, render: () => <BackupScreen /> },
  { key: 'settings', label: 'menu.settings', icon: <SettingOutlined />, render: () => <SettingsScreen /> },
];
