/** The screens of the side menu, in order; Alt+1…9 opens them. */
import {
  AlertOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DeleteOutlined,
  FileTextOutlined,
  ImportOutlined,
  InboxOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Method } from '../../shared/contract';
import { AuditScreen } from '../audit/AuditScreen';
import { BackupScreen } from '../backup/BackupScreen';
import { InboxScreen } from '../inbox/InboxScreen';
import { AuthorizationsScreen } from '../records/AuthorizationsScreen';
import { CustomersScreen } from '../records/CustomersScreen';
import { SearchScreen } from '../search/SearchScreen';
import { DisposalScreen } from '../retention/DisposalScreen';
import { ArchiveScreen } from './ArchiveScreen';
import { SettingsScreen } from './SettingsScreen';
// The slip ledger's screens (issue 17).
import { DashboardScreen } from './DashboardScreen';
import { DueScreen } from './DueScreen';
import { LedgerImportScreen } from './LedgerImportScreen';
import { LedgerScreen } from './LedgerScreen';

/** What a screen gets from the shell. */
export interface ScreenProps {
  navigate: (key: string) => void;
  /** Files dropped anywhere on the window, waiting for the Inbox screen to import them. */
  dropped: File[];
  takeDropped: () => File[];
}

export interface ScreenDefinition {
  key: string;
  /** i18n key of the menu label. */
  label: string;
  icon: ReactNode;
  /** The call a role must be allowed to make to see the screen at all. */
  needs: Method;
  render: (props: ScreenProps) => ReactNode;
}

export const SCREENS: ScreenDefinition[] = [
  // The slip ledger's dashboard (issue 17) is the home screen.
  {
    key: 'dashboard',
    label: 'ledgerUi.menu.dashboard',
    icon: <DashboardOutlined />,
    needs: 'due:summary',
    render: (props) => <DashboardScreen navigate={props.navigate} />,
  },
  {
    key: 'archive',
    label: 'menu.archive',
    icon: <DatabaseOutlined />,
    needs: 'documents:list',
    render: (props) => <ArchiveScreen navigate={props.navigate} />,
  },
  {
    key: 'inbox',
    label: 'menu.inbox',
    icon: <InboxOutlined />,
    needs: 'inbox:file',
    render: (props) => <InboxScreen dropped={props.dropped} takeDropped={props.takeDropped} />,
  },
  { key: 'search', label: 'menu.search', icon: <SearchOutlined />, needs: 'search:query', render: () => <SearchScreen /> },
  { key: 'backup', label: 'menu.backup', icon: <CloudUploadOutlined />, needs: 'backup:list', render: () => <BackupScreen /> },
  { key: 'settings', label: 'menu.settings', icon: <SettingOutlined />, needs: 'settings:get', render: () => <SettingsScreen /> },
  { key: 'audit', label: 'menu.audit', icon: <AuditOutlined />, needs: 'audit:query', render: () => <AuditScreen /> },
  // Retention, holds and disposal (docs/retention.md)
  { key: 'disposal', label: 'menu.disposal', icon: <DeleteOutlined />, needs: 'disposal:list', render: () => <DisposalScreen /> },
  // issue 18: the records a signed slip depends on
  { key: 'customers', label: 'menu.customers', icon: <TeamOutlined />, needs: 'customers:register', render: () => <CustomersScreen /> },
  {
    key: 'authorizations',
    label: 'menu.authorizations',
    icon: <SafetyCertificateOutlined />,
    needs: 'authorizations:list',
    render: () => <AuthorizationsScreen />,
  },
  // --- the slip ledger (issue 17): due, ledger list, ledger import ---
  { key: 'due', label: 'ledgerUi.menu.due', icon: <AlertOutlined />, needs: 'due:summary', render: (props) => <DueScreen navigate={props.navigate} /> },
  {
    key: 'ledger',
    label: 'ledgerUi.menu.ledger',
    icon: <FileTextOutlined />,
    needs: 'ledger:list',
    render: (props) => <LedgerScreen navigate={props.navigate} />,
  },
  {
    key: 'ledgerImport',
    label: 'ledgerUi.menu.import',
    icon: <ImportOutlined />,
    needs: 'ledger:import',
    render: (props) => <LedgerImportScreen navigate={props.navigate} />,
  },
];
