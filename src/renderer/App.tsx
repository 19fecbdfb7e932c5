/**
 * The minimal working UI: archive status, a document list, and a detail pane (metadata, pages, history).
 * A later issue replaces it with the antd UI; it talks to the core only through the contract client.
 */
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import type { SlipVaultClient } from '../shared/contract';
import type { JobProgress } from '../shared/events';
import type { ArchiveStatus, DocumentDetail, DocumentList, DocumentStatus, VersionSummary } from '../shared/model';
import { pageImageUrl } from './client';
import { errorText, formatDateTime, strings as t } from './strings';

type Filter = 'active' | DocumentStatus;

const PAGE_SIZE = 100;
const PREVIEWABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

export function App({ client }: { client: SlipVaultClient }) {
  const [status, setStatus] = useState<ArchiveStatus | null>(null);
  const [list, setList] = useState<DocumentList | null>(null);
  const [filter, setFilter] = useState<Filter>('active');
  const [offset, setOffset] = useState(0);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  // Bumped by the refresh button and by documents:changed; every view reloads on it.
  const [revision, setRevision] = useState(0);

  const refresh = useCallback(() => setRevision((n) => n + 1), []);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'F5') {
        event.preventDefault();
        refresh();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [refresh]);

  useEffect(() => {
    let cancelled = false;
    client.call('archive:status', {}).then(
      (value) => !cancelled && setStatus(value),
      (reason: unknown) => !cancelled && setError(errorText(reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, revision]);

  useEffect(() => {
    let cancelled = false;
    const input =
      filter === 'active'
        ? { limit: PAGE_SIZE, offset }
        : { status: filter, includeVoided: filter === 'voided', limit: PAGE_SIZE, offset };
    client.call('documents:list', input).then(
      (value) => !cancelled && setList(value),
      (reason: unknown) => !cancelled && setError(errorText(reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, filter, offset, revision]);

  useEffect(() => {
    const offChanged = client.on('documents:changed', () => refresh());
    const offProgress = client.on('jobs:progress', (payload) =>
      setProgress(payload.total > 0 && payload.done >= payload.total ? null : payload),
    );
    return () => {
      offChanged();
      offProgress();
    };
  }, [client, refresh]);

  const items = list?.items ?? [];

  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (move !== 0) {
      event.preventDefault();
      const next = items[index + move];
      if (!next) return;
      setSelectedId(next.id);
      const row = event.currentTarget.parentElement?.children[index + move];
      if (row instanceof HTMLElement) row.focus();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const item = items[index];
      if (item) setSelectedId(item.id);
    }
  };

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">{t.appName}</span>
        {status ? (
          <span className="archive-status" title={status.path}>
            <span>
              {t.archive}: {status.path}
            </span>
            <span>{t.documentsCount(status.documents)}</span>
            <span>
              {t.actor}: {status.actor}
            </span>
          </span>
        ) : (
          <span className="muted">{t.loading}</span>
        )}
        {progress ? (
          <span className="progress" role="status">
            {t.progress(progress.phase, progress.done, progress.total)}
          </span>
        ) : null}
        <button type="button" className="button" onClick={refresh} title={`${t.refresh} (F5)`}>
          {t.refresh}
        </button>
      </header>

      {error ? (
        <div className="error-banner" role="alert">
          <span>{error}</span>
          <button type="button" className="link" onClick={() => setError(null)}>
            {t.dismiss}
          </button>
        </div>
      ) : null}

      <main className="split">
        <section className="list-pane" aria-label={t.listLabel}>
          <div className="toolbar">
            <label>
              {t.filter}{' '}
              <select
                value={filter}
                onChange={(event) => {
                  setFilter(event.target.value as Filter);
                  setOffset(0);
                }}
              >
                {(Object.keys(t.filters) as Filter[]).map((key) => (
                  <option key={key} value={key}>
                    {t.filters[key as keyof typeof t.filters]}
                  </option>
                ))}
              </select>
            </label>
            <span className="spacer" />
            {list && list.total > 0 ? (
              <span className="muted">{t.range(list.offset + 1, list.offset + list.items.length, list.total)}</span>
            ) : null}
            <button
              type="button"
              className="button"
              disabled={!list || list.offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
            >
              {t.prev}
            </button>
            <button
              type="button"
              className="button"
              disabled={!list || list.offset + list.items.length >= list.total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
            >
              {t.next}
            </button>
          </div>
          <div className="table-scroll">
            <table className="grid">
              <thead>
                <tr>
                  <th>{t.col.archiveNo}</th>
                  <th>{t.col.title}</th>
                  <th>{t.col.customer}</th>
                  <th>{t.col.signedDate}</th>
                  <th>{t.col.status}</th>
                  <th className="num">{t.col.pages}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item, index) => (
                  <tr
                    key={item.id}
                    tabIndex={0}
                    aria-selected={item.id === selectedId}
                    className={item.id === selectedId ? 'selected' : undefined}
                    onClick={() => setSelectedId(item.id)}
                    onKeyDown={(event) => onRowKey(event, index)}
                  >
                    <td className="mono">{item.archiveNo}</td>
                    <td>{item.title}</td>
                    <td>{item.customer ?? ''}</td>
                    <td>{item.signedDate ?? ''}</td>
                    <td>
                      <span className={`tag tag-${item.status}`}>{t.status[item.status]}</span>
                    </td>
                    <td className="num">{item.pageCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {list && items.length === 0 ? <p className="empty">{t.empty}</p> : null}
            {!list ? <p className="empty">{t.loading}</p> : null}
          </div>
        </section>

        <section className="detail-pane" aria-label={t.detailLabel}>
          {selectedId === null ? (
            <p className="empty">{t.selectHint}</p>
          ) : (
            <DocumentPane client={client} id={selectedId} revision={revision} onError={setError} />
          )}
        </section>
      </main>
    </div>
  );
}

function DocumentPane({
  client,
  id,
  revision,
  onError,
}: {
  client: SlipVaultClient;
  id: number;
  revision: number;
  onError: (message: string) => void;
}) {
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [history, setHistory] = useState<VersionSummary[] | null>(null);

  useEffect(() => {
    let cancelled = false;
    Promise.all([client.call('documents:get', { ref: id }), client.call('documents:history', { ref: id })]).then(
      ([doc, versions]) => {
        if (cancelled) return;
        setDetail(doc);
        setHistory(versions);
      },
      (reason: unknown) => !cancelled && onError(errorText(reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, id, revision, onError]);

  if (!detail || detail.id !== id) return <p className="empty">{t.loading}</p>;
  return <DocumentView detail={detail} history={history} />;
}

/** One document: metadata, pages (images when the format can be previewed), version history. */
export function DocumentView({ detail, history }: { detail: DocumentDetail; history: VersionSummary[] | null }) {
  const mimeOf = new Map(detail.files.map((file) => [file.blobHash, file.mime]));
  const amount = detail.amount ? `${detail.amount}${detail.currency ? ` ${detail.currency}` : ''}` : '';
  const fields: Array<[string, string]> = [
    [t.col.status, t.status[detail.status]],
    [t.col.customer, detail.customer ?? ''],
    [t.col.type, detail.type ?? ''],
    [t.col.signedDate, detail.signedDate ?? ''],
    [t.col.slipNo, detail.slipNo ?? ''],
    [t.col.amount, amount],
    [t.col.signer, detail.metadata.signer ?? ''],
    [t.col.tags, detail.metadata.tags.join('、')],
    [t.col.version, String(detail.currentVersion)],
    [t.col.createdAt, formatDateTime(detail.createdAt)],
    [t.col.updatedAt, formatDateTime(detail.updatedAt)],
  ];
  if (detail.voidReason) fields.push([t.col.voidReason, detail.voidReason]);

  return (
    <article className="detail">
      <h2>
        <span className="mono">{detail.archiveNo}</span> {detail.title}
      </h2>
      <dl className="fields">
        {fields.map(([label, value]) => (
          <div key={label} className="field">
            <dt>{label}</dt>
            <dd>{value || '—'}</dd>
          </div>
        ))}
      </dl>
      {detail.metadata.notes ? (
        <>
          <h3>{t.col.notes}</h3>
          <p className="notes">{detail.metadata.notes}</p>
        </>
      ) : null}

      <h3>
        {t.pagesTitle} ({detail.pages.length})
      </h3>
      <ol className="pages">
        {detail.pages.map((page, index) => {
          const mime = mimeOf.get(page.blobHash) ?? '';
          return (
            <li key={page.pageId} className="page">
              {PREVIEWABLE.has(mime) ? (
                <img
                  src={pageImageUrl(page.blobHash)}
                  alt={t.pageLabel(index + 1)}
                  loading="lazy"
                  style={page.rotation ? { transform: `rotate(${page.rotation}deg)` } : undefined}
                />
              ) : (
                <span className="no-preview">
                  {t.noPreview}
                  <br />
                  {mime}
                  {mime === 'application/pdf' || mime === 'image/tiff' ? ` · ${t.sourcePage(page.sourcePage + 1)}` : ''}
                </span>
              )}
              <span className="page-label">{t.pageLabel(index + 1)}</span>
            </li>
          );
        })}
      </ol>

      <h3>{t.historyTitle}</h3>
      {history ? (
        <table className="grid compact">
          <thead>
            <tr>
              <th className="num">{t.histCol.number}</th>
              <th>{t.histCol.at}</th>
              <th>{t.histCol.actor}</th>
              <th>{t.histCol.action}</th>
              <th>{t.histCol.reason}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((version) => (
              <tr key={version.number}>
                <td className="num">{version.number}</td>
                <td>{formatDateTime(version.createdAt)}</td>
                <td>{version.actor}</td>
                <td>{version.action}</td>
                <td>{version.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="empty">{t.loading}</p>
      )}
    </article>
  );
}
