/**
 * The slip ledger list (issue 17): filters (overdue, aging bucket, customer, owner, custody, exception, text),
 * aging in days and buckets, custody and exceptions in words, paged by the core. Exports the filtered list as
 * CSV or XLSX and, for one customer, the reminder letter (PDF) to send them.
 */
import { FilePdfOutlined, ImportOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useReducer, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGING_BUCKETS, CUSTODY_STEPS, LEDGER_EXCEPTIONS, type CustodyStep, type LedgerList, type LedgerRow } from '../../shared/model';
import { useApp } from '../context';
import { DocumentDrawer } from '../document/DocumentDrawer';
import { useDocumentChanges } from '../document-changes';
import { errorText, formatAmount } from '../format';
import { saveExportedFile } from '../ledger/download';
import { clearPendingLedgerFilters, onLedgerFilters, pendingLedgerFilters, type LedgerFilters } from '../ledger/ledger-nav';
import '../ledger/ledger.css';

const PAGE_SIZE = 100;
const BUCKET_TAGS: Record<string, string> = { not_due: 'default', '0-15': 'gold', '16-30': 'orange', '31-60': 'volcano', '61-90': 'red', '90+': 'magenta' };

export function LedgerScreen({ navigate }: { navigate: (key: string) => void }) {
  const { t } = useTranslation();
  const { platform, revision, may } = useApp();
  const { message } = App.useApp();
  const client = platform.client;
  const [filters, setFilters] = useState<LedgerFilters>(pendingLedgerFilters);
  const [page, setPage] = useState(1);
  useEffect(clearPendingLedgerFilters, []);
  useEffect(
    () =>
      onLedgerFilters((next) => {
        setPage(1);
        setFilters(next);
        clearPendingLedgerFilters();
      }),
    [],
  );
  const [list, setList] = useState<LedgerList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const [changes, countChange] = useReducer((n: number) => n + 1, 0);
  useDocumentChanges(client, countChange);

  useEffect(() => {
    let cancelled = false;
    client.call('ledger:list', { filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }).then(
      (value) => {
        if (cancelled) return;
        setList(value);
        setError(null);
      },
      (reason: unknown) => !cancelled && setError(reason),
    );
    return () => {
      cancelled = true;
    };
  }, [client, filters, page, revision, changes]);

  const change = (next: Partial<LedgerFilters>) => {
    setPage(1);
    setFilters((previous) => {
      const merged: LedgerFilters = { ...previous, ...next };
      for (const key of Object.keys(merged) as (keyof LedgerFilters)[]) if (merged[key] === undefined || merged[key] === '') delete merged[key];
      return merged;
    });
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (reason) {
      message.error(errorText(t, reason));
    } finally {
      setBusy(false);
    }
  };
  const exportList = (format: 'csv' | 'xlsx') =>
    run(async () => saveExportedFile(await client.call('ledger:export', { source: { kind: 'list', filters }, format })));
  const letter = (customer: string) => run(async () => saveExportedFile(await client.call('ledger:reminderPdf', { customer })));

  const columns = useMemo(
    () => [
      { key: 'slipNo', title: t('ledgerUi.fields.slipNo'), dataIndex: 'slipNo', width: 150 },
      { key: 'customer', title: t('ledgerUi.fields.customer'), dataIndex: 'customer', ellipsis: true },
      { key: 'issueDate', title: t('ledgerUi.fields.issueDate'), dataIndex: 'issueDate', width: 100 },
      { key: 'expectedBackDate', title: t('ledgerUi.fields.expectedBackDate'), dataIndex: 'expectedBackDate', width: 100 },
      {
        key: 'aging',
        title: t('ledgerUi.fields.aging'),
        width: 130,
        render: (_: unknown, row: LedgerRow) =>
          row.bucket ? (
            <Tag color={BUCKET_TAGS[row.bucket]} className="ledger-bucket">
              {row.daysOverdue !== null && row.daysOverdue > 0 ? t('ledgerUi.daysOver', { count: row.daysOverdue }) : t(`ledgerUi.buckets.${row.bucket}`)}
            </Tag>
          ) : null,
      },
      {
        key: 'amount',
        title: t('ledgerUi.fields.amount'),
        align: 'right' as const,
        width: 120,
        render: (_: unknown, row: LedgerRow) => formatAmount(row.amount, row.currency),
      },
      { key: 'invoiceNo', title: t('ledgerUi.fields.invoiceNo'), dataIndex: 'invoiceNo', width: 110 },
      { key: 'owner', title: t('ledgerUi.fields.owner'), dataIndex: 'owner', width: 90 },
      { key: 'custody', title: t('ledgerUi.fields.custody'), width: 110, render: (_: unknown, row: LedgerRow) => t(`ledgerUi.custody.${row.custody}`) },
      {
        key: 'exception',
        title: t('ledgerUi.fields.exception'),
        width: 110,
        render: (_: unknown, row: LedgerRow) =>
          row.exception ? (
            <Tooltip title={row.exceptionReason}>
              <Tag color="red">{t(`ledgerUi.exceptions.${row.exception}`)}</Tag>
            </Tooltip>
          ) : null,
      },
      {
        key: 'archiveNo',
        title: t('ledgerUi.fields.document'),
        width: 130,
        render: (_: unknown, row: LedgerRow) => (row.documentId === null ? null : <a onClick={() => setOpenId(row.documentId)}>{row.archiveNo}</a>),
      },
    ],
    [t],
  );

  return (
    <div className="ledger-screen">
      <Space wrap className="ledger-filters">
        <Checkbox checked={filters.overdue === true} onChange={(event) => change({ overdue: event.target.checked || undefined })} className="filter-overdue">
          {t('ledgerUi.filters.overdue')}
        </Checkbox>
        <Select
          allowClear
          className="filter-bucket"
          style={{ width: 130 }}
          placeholder={t('ledgerUi.fields.aging')}
          value={filters.bucket}
          onChange={(bucket) => change({ bucket })}
          options={AGING_BUCKETS.map((bucket) => ({ value: bucket, label: t(`ledgerUi.buckets.${bucket}`) }))}
        />
        <Select
          allowClear
          mode="multiple"
          className="filter-custody"
          style={{ minWidth: 140 }}
          placeholder={t('ledgerUi.fields.custody')}
          value={typeof filters.custody === 'string' ? [filters.custody] : (filters.custody ?? [])}
          onChange={(steps: CustodyStep[]) => change({ custody: steps.length > 0 ? steps : undefined })}
          options={CUSTODY_STEPS.map((step) => ({ value: step, label: t(`ledgerUi.custody.${step}`) }))}
        />
        <Select
          allowClear
          className="filter-exception"
          style={{ width: 130 }}
          placeholder={t('ledgerUi.fields.exception')}
          value={filters.exception}
          onChange={(exception) => change({ exception })}
          options={LEDGER_EXCEPTIONS.map((exception) => ({ value: exception, label: t(`ledgerUi.exceptions.${exception}`) }))}
        />
        <Input.Search
          key={`customer-${filters.customer ?? ''}`}
          className="filter-customer"
          allowClear
          style={{ width: 170 }}
          placeholder={t('ledgerUi.fields.customer')}
          defaultValue={filters.customer}
          onSearch={(customer) => change({ customer: customer.trim() || undefined })}
        />
        <Input.Search
          key={`owner-${filters.owner ?? ''}`}
          className="filter-owner"
          allowClear
          style={{ width: 130 }}
          placeholder={t('ledgerUi.fields.owner')}
          defaultValue={filters.owner}
          onSearch={(owner) => change({ owner: owner.trim() || undefined })}
        />
        <Input.Search
          key={`text-${filters.text ?? ''}`}
          className="filter-text"
          allowClear
          style={{ width: 200 }}
          placeholder={t('ledgerUi.filters.text')}
          defaultValue={filters.text}
          onSearch={(text) => change({ text: text.trim() || undefined })}
        />
        <Button onClick={() => void exportList('csv')} disabled={busy} className="export-csv">
          {t('ledgerUi.list.exportCsv')}
        </Button>
        <Button onClick={() => void exportList('xlsx')} disabled={busy} className="export-xlsx">
          {t('ledgerUi.list.exportXlsx')}
        </Button>
        {filters.customer && may('ledger:reminderPdf') ? (
          <Button icon={<FilePdfOutlined />} onClick={() => void letter(filters.customer!)} disabled={busy} className="reminder-letter">
            {t('ledgerUi.list.letter', { customer: filters.customer })}
          </Button>
        ) : null}
        {may('ledger:import') ? (
          <Button icon={<ImportOutlined />} onClick={() => navigate('ledgerImport')}>
            {t('ledgerUi.list.import')}
          </Button>
        ) : null}
      </Space>
      {error ? <Alert type="error" showIcon title={errorText(t, error)} /> : null}
      <Typography.Text type="secondary" className="ledger-total">
        {list ? t('ledgerUi.list.total', { count: list.total, date: list.asOf }) : null}
      </Typography.Text>
      <Table<LedgerRow>
        className="ledger-table"
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list?.items ?? []}
        loading={list === null && !error}
        scroll={{ x: 1300 }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list?.total ?? 0, showSizeChanger: false, onChange: setPage }}
      />
      <DocumentDrawer documentId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
