/**
 * The UI's few strings, Chinese or English after the browser language. A later issue replaces this with
 * i18next and the shared locale files.
 */
import type { DocumentStatus } from '../shared/model';

const zh = {
  appName: 'SlipVault 单据档案库',
  listLabel: '单据列表',
  detailLabel: '单据详情',
  noClient: '未连接到档案服务。请在 SlipVault 应用中打开此页面。',
  loading: '正在加载…',
  refresh: '刷新',
  dismiss: '关闭',
  archive: '档案库',
  documentsCount: (n: number) => `${n} 份单据`,
  actor: '操作人',
  filter: '筛选',
  filters: { active: '全部（不含作废）', inbox: '待归档', filed: '已归档', voided: '已作废' },
  status: { inbox: '待归档', filed: '已归档', voided: '已作废' } as Record<DocumentStatus, string>,
  col: {
    archiveNo: '档案号',
    title: '标题',
    status: '状态',
    pages: '页数',
    customer: '客户',
    signedDate: '签署日期',
    amount: '金额',
    slipNo: '单号',
    type: '类型',
    signer: '签收人',
    tags: '标签',
    updatedAt: '更新时间',
    createdAt: '创建时间',
    version: '当前版本',
    notes: '备注',
    voidReason: '作废原因',
  },
  prev: '上一页',
  next: '下一页',
  range: (from: number, to: number, total: number) => `${from}–${to}，共 ${total} 份`,
  empty: '没有符合条件的单据',
  selectHint: '在左侧选择一份单据以查看详情',
  pagesTitle: '页面',
  pageLabel: (n: number) => `第 ${n} 页`,
  sourcePage: (n: number) => `源文件第 ${n} 页`,
  noPreview: '此格式暂不能预览',
  filesTitle: '源文件',
  historyTitle: '版本历史',
  histCol: { number: '版本', at: '时间', actor: '操作人', action: '操作', reason: '原因' },
  progress: (phase: string, done: number, total: number) => `${phase}：${done}/${total}`,
};

const en: typeof zh = {
  appName: 'SlipVault',
  listLabel: 'Documents',
  detailLabel: 'Document details',
  noClient: 'Not connected to the archive service. Open this page from the SlipVault app.',
  loading: 'Loading…',
  refresh: 'Refresh',
  dismiss: 'Dismiss',
  archive: 'Archive',
  documentsCount: (n: number) => `${n} documents`,
  actor: 'User',
  filter: 'Filter',
  filters: { active: 'All (not voided)', inbox: 'Inbox', filed: 'Filed', voided: 'Voided' },
  status: { inbox: 'Inbox', filed: 'Filed', voided: 'Voided' },
  col: {
    archiveNo: 'Archive no.',
    title: 'Title',
    status: 'Status',
    pages: 'Pages',
    customer: 'Customer',
    signedDate: 'Signed',
    amount: 'Amount',
    slipNo: 'Slip no.',
    type: 'Type',
    signer: 'Signer',
    tags: 'Tags',
    updatedAt: 'Updated',
    createdAt: 'Created',
    version: 'Version',
    notes: 'Notes',
    voidReason: 'Void reason',
  },
  prev: 'Previous',
  next: 'Next',
  range: (from: number, to: number, total: number) => `${from}–${to} of ${total}`,
  empty: 'No documents match',
  selectHint: 'Select a document on the left to see its details',
  pagesTitle: 'Pages',
  pageLabel: (n: number) => `Page ${n}`,
  sourcePage: (n: number) => `source page ${n}`,
  noPreview: 'No preview for this format yet',
  filesTitle: 'Source files',
  historyTitle: 'History',
  histCol: { number: 'Version', at: 'Time', actor: 'User', action: 'Action', reason: 'Reason' },
  progress: (phase: string, done: number, total: number) => `${phase}: ${done}/${total}`,
};

const language = typeof navigator !== 'undefined' ? navigator.language : 'zh-CN';
export const strings = language.toLowerCase().startsWith('en') ? en : zh;

const pad = (n: number) => String(n).padStart(2, '0');

/** Local date and time, dense: 2026-03-14 09:05. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
