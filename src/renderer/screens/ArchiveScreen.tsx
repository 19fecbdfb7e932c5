/**
 * Archive: every document in a virtualized table (antd's virtual Table renders only the visible rows),
 * filtered (status, and a text filter that has the focus when the screen opens) and sorted by the owner,
 * which hands out the list a page at a time (archive-pages.ts): only the pages in view are fetched, so
 * 100,000 documents cost what the screen shows. ↑/↓ move, Enter opens the document drawer; rows ticked
 * can be edited together (BatchEditDialog).
 */
import { Alert, Button, Empty, Input, Segmented, Space, Table, Tag, Tooltip, Typography, type InputRef, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSort, DocumentSortField, DocumentSummary } from '../../shared/model';
import { useApp } from '../context';
import { DocumentDrawer } from '../document/DocumentDrawer';
import { useDocumentChanges } from '../document-changes';
import { STATUS_COLOURS } from '../document/status-colours';
import { errorText, formatAmount, formatDateTime } from '../format';
import { useHotkeys } from '../hotkeys';
import { useTypeLabel } from '../document/type-labels';
import { ARCHIVE_FILTERS, ARCHIVE_PAGE_SIZE, ArchivePages, DEFAULT_SORT, type ArchiveFilter } from './archive-pages';
import { clearPendingArchiveFilter, pendingArchiveFilter } from './archive-nav';
import { BatchEditDialog } from './BatchEditDialog';

/** Wait for a pause in typing before filtering. */
const FILTER_DELAY_MS = 250;

/** `text` once it has not changed for `delay` ms. */
function useSettled(text: string, delay: number): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), delay);
    return () => clearTimeout(timer);
  }, [text, delay]);
  return settled;
}

const ROW_HEIGHT = 32;

/** One line of the table: the document at that position, or nothing yet while its page loads. */
interface ArchiveRow {
  index: number;
  document: DocumentSummary | undefined;
}

const rowKey = (row: ArchiveRow) => (row.document ? row.document.id : `loading-${row.index}`);

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

/**
 * Which rows the virtual table renders, learnt from the rows themselves: it scrolls by wheel, scrollbar
 * drag and keyboard without a scroll event, but renders every row it shows. Rows noted during one render
 * are handed over once, in the next animation frame.
 */
function useRenderedRows(onRendered: (first: number, last: number) => void): (index: number) => void {
  const seen = useRef<{ first: number; last: number } | null>(null);
  const frame = useRef(0);
  const latest = useRef(onRendered);
  useEffect(() => {
    latest.current = onRendered;
  });
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  return (index) => {
    const range = seen.current;
    seen.current = range ? { first: Math.min(range.first, index), last: Math.max(range.last, index) } : { first: index, last: index };
    frame.current ||= requestAnimationFrame(() => {
      frame.current = 0;
      const rows = seen.current;
      seen.current = null;
      if (rows) latest.current(rows.first, rows.last);
    });
  };
}

function sortFrom(sorter: SorterResult<ArchiveRow> | SorterResult<ArchiveRow>[]): DocumentSort {
  const chosen = Array.isArray(sorter) ? sorter[0] : sorter;
  if (!chosen?.order || typeof chosen.columnKey !== 'string') return DEFAULT_SORT;
  return { by: chosen.columnKey as DocumentSortField, direction: chosen.order === 'ascend' ? 'asc' : 'desc' };
}

export function ArchiveScreen({ navigate }: { navigate: (screen: string) => void }) {
  const { t } = useTranslation();
  const { platform, revision, may } = useApp();
  const client = platform.client;
  const typeLabel = useTypeLabel();
  const [text, setText] = useState('');
  const filterText = useSettled(text, FILTER_DELAY_MS);
  const filterBox = useRef<InputRef>(null);
  const [ticked, setTicked] = useState<number[]>([]);
  const [batchOpen, setBatchOpen] = useState(false);
  const mayBatchEdit = may('documents:editMany');
  useEffect(() => filterBox.current?.focus(), []);
  const [filter, setFilter] = useState<ArchiveFilter>(() => pendingArchiveFilter() ?? 'active');
  useEffect(clearPendingArchiveFilter, []);
  const [sort, setSort] = useState<DocumentSort>(DEFAULT_SORT);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const [boxRef, height] = useAvailableHeight();
  const tableRef = useRef<{ scrollTo?: (config: { index: number }) => void } | null>(null);
  const [update, rendered] = useReducer((n: number) => n + 1, 0);

  // A new filter, sort or F5 (`revision`) starts a new list.
  const list = useMemo(
    () => new ArchivePages({ client, filter, sort, text: filterText, onUpdate: rendered, onError: (reason) => setError(errorText(t, reason)) }),
    [client, filter, sort, filterText, t, revision],
  );
  useEffect(() => {
    setError(null);
    setSelected(0);
    void list.show(0, ARCHIVE_PAGE_SIZE - 1);
  }, [list]);
  const noteRendered = useRenderedRows((first, last) => void list.show(first, last));
  useDocumentChanges(client, (ids) => void list.refresh(ids));

  const total = list.total ?? 0;
  const rows = useMemo<ArchiveRow[]>(
    () => Array.from({ length: total }, (_, index) => ({ index, document: list.rowAt(index) })),
    // `update` stands for the list's contents, which change in place.
    [list, total, update],
  );

  const move = (delta: number) => {
    const next = Math.min(Math.max(selected + delta, 0), total - 1);
    setSelected(next);
    tableRef.current?.scrollTo?.({ index: next });
  };

  useHotkeys(
    [
      { combo: 'arrowdown', run: () => move(1) },
      { combo: 'arrowup', run: () => move(-1) },
      {
        combo: 'enter',
        run: () => {
          const document = list.rowAt(selected);
          if (document) setOpenId(document.id);
        },
      },
    ],
    openId === null && !batchOpen,
  );

  const columns = useMemo<TableProps<ArchiveRow>['columns']>(() => {
    const sortable = (key: DocumentSortField) => ({
      key,
      sorter: true,
      sortDirections: ['ascend' as const, 'descend' as const],
      sortOrder: sort.by === key ? (sort.direction === 'asc' ? ('ascend' as const) : ('descend' as const)) : null,
    });
    return [
      { title: t('col.archiveNo'), ...sortable('archiveNo'), width: 140, render: (_, row) => <span className="mono">{row.document?.archiveNo}</span> },
      { title: t('col.title'), ...sortable('title'), ellipsis: true, render: (_, row) => row.document?.title },
      {
        title: t('col.status'),
        key: 'status',
        width: 90,
        render: (_, { document }) => (document ? <Tag color={STATUS_COLOURS[document.status]}>{t(`status.${document.status}`)}</Tag> : null),
      },
      { title: t('col.customer'), ...sortable('customer'), width: 180, ellipsis: true, render: (_, row) => row.document?.customer },
      { title: t('col.type'), ...sortable('type'), width: 100, ellipsis: true, render: (_, row) => (row.document ? typeLabel(row.document.type) : null) },
      { title: t('col.slipNo'), ...sortable('slipNo'), width: 140, ellipsis: true, render: (_, row) => <span className="mono">{row.document?.slipNo}</span> },
      {
        title: t('col.amount'),
        ...sortable('amount'),
        width: 130,
        align: 'right',
        render: (_, { document }) => (document ? formatAmount(document.amount, document.currency) : null),
      },
      { title: t('col.signedDate'), ...sortable('signedDate'), width: 110, render: (_, row) => row.document?.signedDate },
      { title: t('col.pages'), key: 'pages', width: 60, align: 'right', render: (_, row) => row.document?.pageCount },
      {
        title: t('col.updatedAt'),
        ...sortable('updatedAt'),
        width: 140,
        render: (_, { document }) => (document ? formatDateTime(document.updatedAt) : null),
      },
    ];
  }, [t, sort, typeLabel]);

  const emptyText =
    filterText.trim() !== '' ? (
      <Empty description={t('archive.noMatch', { text: filterText.trim() })} />
    ) : (
      <Empty description={t('archive.emptyHint')}>
        {may('inbox:file') ? (
          <Button type="primary" onClick={() => navigate('inbox')}>
            {t('archive.toInbox')}
          </Button>
        ) : null}
      </Empty>
    );

  return (
    <div className="screen archive-screen">
      <Space className="screen-toolbar" wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('archive.title')}
        </Typography.Title>
        <span>{t('filter.label')}</span>
        <Segmented<ArchiveFilter>
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setSelected(0);
          }}
          options={ARCHIVE_FILTERS.map((value) => ({ value, label: t(`filter.${value}`) }))}
        />
        <Input
          ref={filterBox}
          allowClear
          className="archive-filter"
          style={{ width: 260 }}
          value={text}
          placeholder={t('archive.filterPlaceholder')}
          aria-label={t('archive.filterLabel')}
          onChange={(event) => setText(event.target.value)}
        />
        <Typography.Text type="secondary">{t('archive.loaded', { loaded: list.loadedRows, total })}</Typography.Text>
        {mayBatchEdit ? (
          <Button className="batch-edit" disabled={ticked.length === 0} onClick={() => setBatchOpen(true)}>
            {t('batch.button', { count: ticked.length })}
          </Button>
        ) : null}
      </Space>
      {error ? <Alert type="error" showIcon title={error} closable onClose={() => setError(null)} /> : null}
      <div className="table-box" ref={boxRef}>
        <Table<ArchiveRow>
          ref={tableRef as never}
          virtual
          rowKey={rowKey}
          size="small"
          columns={columns}
          dataSource={rows}
          loading={list.total === null}
          pagination={false}
          scroll={{ x: 1400, y: height }}
          onChange={(_pagination, _filters, sorter) => {
            setSort(sortFrom(sorter));
            setSelected(0);
          }}
          locale={{ emptyText }}
          {...(mayBatchEdit
            ? {
                rowSelection: {
                  selectedRowKeys: ticked,
                  columnWidth: 36,
                  onChange: (keys: React.Key[]) => setTicked(keys.filter((key): key is number => typeof key === 'number')),
                  getCheckboxProps: (row: ArchiveRow) => ({
                    disabled: !row.document || row.document.status === 'voided',
                    'aria-label': row.document ? t('batch.tick', { archiveNo: row.document.archiveNo }) : undefined,
                  }),
                },
              }
            : {})}
          rowClassName={(_, index) => (index === selected ? 'row-selected' : '')}
          onRow={(row, index) => {
            noteRendered(row.index);
            return {
              onClick: () => {
                setSelected(index ?? 0);
                if (row.document) setOpenId(row.document.id);
              },
              style: { height: ROW_HEIGHT, cursor: 'pointer' },
              ...(row.document ? { 'data-archive-no': row.document.archiveNo } : {}),
            };
          }}
          title={() => (
            <Tooltip title={t('archive.open')}>
              <Typography.Text type="secondary">↑ ↓ Enter</Typography.Text>
            </Tooltip>
          )}
        />
      </div>
      <DocumentDrawer documentId={openId} onClose={() => setOpenId(null)} />
      <BatchEditDialog
        open={batchOpen}
        documentIds={ticked}
        onClose={(edited) => {
          setBatchOpen(false);
          if (edited) setTicked([]);
        }}
      />
    </div>
  );
}
