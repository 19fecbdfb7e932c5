/** The shell's few native strings (menus, dialogs), in Chinese or English after the system locale. */
import type { PathRole } from '../host/path-grants';

const zhRoles: Record<PathRole, string> = {
  import: '要导入的文件',
  'backup-target': '备份文件夹',
  'restore-into': '恢复到的文件夹',
  'hot-folder': '监控文件夹',
  'proof-folder': '存放证据包的文件夹',
  'proof-package': '要核验的证据包',
  'export-folder': '保存导出文件的文件夹',
};

const enRoles: Record<PathRole, string> = {
  import: 'file to import',
  'backup-target': 'backup folder',
  'restore-into': 'folder to restore into',
  'hot-folder': 'hot folder',
  'proof-folder': 'folder for the proof package',
  'proof-package': 'proof package to verify',
  'export-folder': 'folder for the exported file',
};

const zh = {
  file: '文件',
  openArchive: '打开档案库…',
  newArchive: '新建档案库…',
  edit: '编辑',
  view: '视图',
  window: '窗口',
  help: '帮助',
  about: '关于 SlipVault',
  chooseTitle: '选择档案库',
  chooseMessage: '请选择要使用的 SlipVault 档案库。',
  chooseDetail: '可以打开已有的档案库文件夹，或在一个空文件夹中新建档案库。',
  openExisting: '打开已有档案库…',
  createNew: '新建档案库…',
  quit: '退出',
  cancel: '取消',
  openButton: '打开',
  createButton: '在此新建',
  cannotOpen: '无法打开档案库',
  cannotOpenLast: (dir: string) => `无法打开上次使用的档案库：${dir}`,
  ownerStopped: (dir: string) => `档案库的后台进程已停止，且未能重新启动：${dir}`,
  unexpected: '发生了意外错误，详情已写入日志。',
  aboutDetail: (version: string) => `版本 ${version}\n离线签收单据档案库`,
  allow: '允许',
  allowFolder: (role: PathRole, path: string) => `SlipVault 窗口请求将此文件夹用作${zhRoles[role]}：\n${path}`,
  allowFolderDetail: '仅当此文件夹是您自己输入或选择的时才允许。SlipVault 退出前会记住您的选择。',
  chooseFolder: (role: PathRole) => `选择${zhRoles[role]}`,
};

const en: typeof zh = {
  file: 'File',
  openArchive: 'Open Archive…',
  newArchive: 'New Archive…',
  edit: 'Edit',
  view: 'View',
  window: 'Window',
  help: 'Help',
  about: 'About SlipVault',
  chooseTitle: 'Choose an archive',
  chooseMessage: 'Choose the SlipVault archive to work with.',
  chooseDetail: 'Open an existing archive folder, or create a new archive in an empty folder.',
  openExisting: 'Open Existing Archive…',
  createNew: 'Create New Archive…',
  quit: 'Quit',
  cancel: 'Cancel',
  openButton: 'Open',
  createButton: 'Create Here',
  cannotOpen: 'The archive could not be opened',
  cannotOpenLast: (dir: string) => `The archive used last could not be opened: ${dir}`,
  ownerStopped: (dir: string) => `The archive's background process stopped and could not be started again: ${dir}`,
  unexpected: 'An unexpected error occurred; the details were written to the log.',
  aboutDetail: (version: string) => `Version ${version}\nOffline archive for signed paper slips`,
  allow: 'Allow',
  allowFolder: (role: PathRole, path: string) => `The SlipVault window asks to use this folder as the ${enRoles[role]}:\n${path}`,
  allowFolderDetail: 'Allow it only if you typed or chose this folder yourself. SlipVault remembers your answer until it quits.',
  chooseFolder: (role: PathRole) => `Choose the ${enRoles[role]}`,
};

export type Labels = typeof zh;

export function labelsFor(locale: string): Labels {
  return locale.toLowerCase().startsWith('zh') ? zh : en;
}
