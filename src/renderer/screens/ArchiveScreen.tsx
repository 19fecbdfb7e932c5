/**
 * Archive: every document in a virtualized table (antd's virtual Table renders only the visible rows, so
 * the list stays smooth at 100,000 rows), filtered by status on the server. ↑/↓ move, Enter opens the
 * document drawer.
 */
import { Alert, Segmented, Space, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../shared/contract';
import type { DocumentStatus, DocumentSummary } from '../../shared/model';
import { useApp } from '../context';
import { DocumentDrawer } from '../document/DocumentDrawer';
import { STATUS_COLOURS } from '../document/status-colours';
import { errorText, formatAmount, formatDateTime } from '../format';
import { useHotkeys } from '../hotkeys';

type Filter = 'active' | DocumentStatus | 'all';
const FILTERS: Filter[] = ['active', 'inbox', 'filed', 'voided', 'all'];
const CHUNK = 1000;
const ROW_HEIGHT = 32;

function listInput(filter: Filter, offset: number): InputOf<'documents:list'> {
  if (filter === 'active') return { limit: CHUNK, offset };
  if (filter === 'all') return { includeVoided: true, limit: CHUNK, offset };
  return { status: filter, includeVoided: filter === 'voided', limit: CHUNK, offset };
}

/** The height available to the table body, so only that many rows are rendered. */
function useAvailableHeight(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(400);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => entry && setHeight(Math.max(200, entry.contentRect.height - 40)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, height];
}

export function ArchiveScreen() {
  const { t } = useTranslation();
  const { platform, revision } = useApp();
  const client = platform.client;
  const [filter, setFilter] = useState<Filter>('active');
  const [rows, setRows] = useState<DocumentSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const [boxRef, height] = useAvailableHeight();
  const tableRef = useRef<{ scrollTo?: (config: { index: number }) => void } | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    (async () => {
      // First chunk shows at once; the rest streams in behind it.
      let offset = 0;
      let collected: DocumentSummary[] = [];
      for (;;) {
        const page = await client.call('documents:list', listInput(filter, offset));
        if (cancelled) return;
        collected = offset === 0 ? page.items : collected.concat(page.items);
        setRows(collected);
        setTotal(page.total);
        offset += page.items.length;
        if (page.items.length === 0 || offset >= page.total) break;
      }
    })()
      .catch((reason: unknown) => !cancelled && setError(errorText(t, reason)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [client, filter, revision, t]);

  const move = (delta: number) => {
    const next = Math.min(Math.max(selected + delta, 0), rows.length - 1);
    setSelected(next);
    tableRef.current?.scrollTo?.({ index: next });
  };

  useHotkeys(
    [
      { combo: 'arrowdown', run: () => move(1) },
      { combo: 'arrowup', run: () => move(-1) },
      { combo: 'enter', run: () => rows[selected] && setOpenId(rows[selected].id) },
    ],
    openId === null,
  );

  const columns = useMemo<TableProps<DocumentSummary>['columns']>(
    () => [
      { title: t('col.archiveNo'), dataIndex: 'archiveNo', width: 140, render: (value: string) => <span className="mono">{value}</span> },
      { title: t('col.title'), dataIndex: 'title', ellipsis: true },
      {
        title: t('col.status'),
        dataIndex: 'status',
        width: 90,
        render: (value: DocumentStatus) => <Tag color={STATUS_COLOURS[value]}>{t(`status.${value}`)}</Tag>,
      },
      { title: t('col.customer'), dataIndex: 'customer', width: 180, ellipsis: true },
      {
        title: t('col.amount'),
        key: 'amount',
        width: 130,
        align: 'right',
        render: (_: unknown, row: DocumentSummary) => formatAmount(row.amount, row.currency),
      },
      { title: t('col.signedDate'), dataIndex: 'signedDate', width: 110 },
      { title: t('col.pages'), dataIndex: 'pageCount', width: 60, align: 'right' },
      { title: t('col.updatedAt'), dataIndex: 'updatedAt', width: 140, render: (value: string) => formatDateTime(value) },
    ],
    [t],
  );

  return (
    <div className="screen archive-screen">
      <Space className="screen-toolbar" wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('archive.title')}
        </Typography.Title>
        <span>{t('filter.label')}</span>
        <Segmented<Filter>
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setSelected(0);
          }}
          options={FILTERS.map((value) => ({ value, label: t(`filter.${value}`) }))}
        />
        <Typography.Text type="secondary">{t('archive.loaded', { loaded: rows.length, total })}</Typography.Text>
      </Space>
      {error ? <Alert type="error" showIcon title={error} closable onClose={() => setError(null)} /> : null}
      <div className="table-box" ref={boxRef}>
        <Table<DocumentSummary>
          ref={tableRef as never}
          virtual
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={loading && rows.length === 0}
          pagination={false}
          scroll={{ x: 1000, y: height }}
          locale={{ emptyText: t('archive.empty') }}
          rowClassName={(_, index) => (index === selected ? 'row-selected' : '')}
          onRow={(row, index) => ({
            onClick: () => {
              setSelected(index ?? 0);
              setOpenId(row.id);
            },
            style: { height: ROW_HEIGHT, cursor: 'pointer' },
            'data-archive-no': row.archiveNo,
          })}
          title={() => (
            <Tooltip title={t('archive.open')}>
              <Typography.Text type="secondary">↑ ↓ Enter</Typography.Text>
            </Tooltip>
          )}
        />
      </div>
      <DocumentDrawer documentId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
