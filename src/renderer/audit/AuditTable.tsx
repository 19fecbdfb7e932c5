/**
 * Audit events, newest first, in a virtualised list: only the rows in view are in the DOM, and older pages
 * are fetched as the list scrolls towards its end, each starting below the last seq shown (the core's keyset
 * paging), so 100,000 events scroll like 100 and events written meanwhile never shift a page.
 */
import { Alert, Empty, Spin } from 'antd';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditFilters } from '../../shared/audit-view';
import type { AuditEvent } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';
import { actorName } from '../i18n/core-messages';
import { actionText, detailsText } from './event-text';
import './audit.css';

const PAGE_SIZE = 500;
const ROW_HEIGHT = 30;
const OVERSCAN = 12;
/** Fetch the next page when the last row in view is this close to the last row loaded. */
const PREFETCH_ROWS = 100;

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time to the second: audit events are often seconds apart. */
function localTime(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

interface Loaded {
  events: AuditEvent[];
  total: number;
  nextBefore: number | null;
}

const EventRow = memo(function EventRow({ event, showTarget }: { event: AuditEvent; showTarget: boolean }) {
  const { t } = useTranslation();
  const details = detailsText(t, event);
  return (
    <div
      className={`audit-row${showTarget ? '' : ' audit-row-no-target'}`}
      data-seq={event.seq}
      data-action={event.action}
      title={JSON.stringify(event.details)}
    >
      <span className="audit-cell secondary">{event.seq}</span>
      <span className="audit-cell">{localTime(event.at)}</span>
      <span className="audit-cell">{actorName(t, event.actor)}</span>
      <span className="audit-cell audit-action">{actionText(t, event.action)}</span>
      {showTarget ? (
        <span className="audit-cell mono">
          {event.targetId ?? (event.targetType ? t(`audit.targets.${event.targetType}`, { defaultValue: event.targetType }) : '')}
        </span>
      ) : null}
      <span className="audit-cell secondary">{details}</span>
    </div>
  );
});

/**
 * `reloadKey`: a change loads the list again from the newest event. Not the app's data revision: that moves
 * with every change anywhere (background OCR), and would throw an auditor reading page 40 back to the top.
 */
export function AuditTable({ filters, reloadKey, showTarget = true }: { filters: AuditFilters; reloadKey: number; showTarget?: boolean }) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const client = platform.client;
  const scroller = useRef<HTMLDivElement>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [fetching, setFetching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const filterKey = JSON.stringify(filters);
  // Bumped when the filters change or the data is refreshed: answers to an earlier generation are dropped.
  const generation = useRef(0);
  const fetchingOlder = useRef(false);

  useEffect(() => {
    const current = ++generation.current;
    fetchingOlder.current = false;
    setFetching(false);
    setLoaded(null);
    setError(null);
    client.call('audit:query', { filters: JSON.parse(filterKey) as AuditFilters, limit: PAGE_SIZE }).then(
      (page) => current === generation.current && setLoaded({ events: page.events, total: page.total, nextBefore: page.nextBefore }),
      (reason: unknown) => current === generation.current && setError(errorText(t, reason)),
    );
  }, [client, filterKey, reloadKey, t]);

  const virtualizer = useVirtualizer({
    count: loaded?.events.length ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
  });
  const items = virtualizer.getVirtualItems();
  const lastInView = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (!loaded || loaded.nextBefore === null || fetchingOlder.current) return;
    if (lastInView < loaded.events.length - PREFETCH_ROWS) return;
    const current = generation.current;
    fetchingOlder.current = true;
    setFetching(true);
    client
      .call('audit:query', { filters: JSON.parse(filterKey) as AuditFilters, limit: PAGE_SIZE, before: loaded.nextBefore })
      .then(
        (page) =>
          current === generation.current &&
          setLoaded((shown) => (shown ? { events: shown.events.concat(page.events), total: shown.total, nextBefore: page.nextBefore } : shown)),
        (reason: unknown) => current === generation.current && setError(errorText(t, reason)),
      )
      .finally(() => {
        if (current !== generation.current) return;
        fetchingOlder.current = false;
        setFetching(false);
      });
  }, [client, filterKey, loaded, lastInView, t]);

  return (
    <div className="audit-table" data-total={loaded?.total ?? ''} data-loaded={loaded?.events.length ?? 0}>
      <div className={`audit-row audit-head${showTarget ? '' : ' audit-row-no-target'}`}>
        <span className="audit-cell">#</span>
        <span className="audit-cell">{t('audit.col.at')}</span>
        <span className="audit-cell">{t('audit.col.user')}</span>
        <span className="audit-cell">{t('audit.col.action')}</span>
        {showTarget ? <span className="audit-cell">{t('audit.col.target')}</span> : null}
        <span className="audit-cell">{t('audit.col.details')}</span>
      </div>
      {error ? <Alert type="error" showIcon title={error} /> : null}
      <div ref={scroller} className="audit-scroller">
        {loaded === null && !error ? <Spin className="audit-loading" /> : null}
        {loaded !== null && loaded.events.length === 0 ? <Empty description={t('audit.empty')} /> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const event = loaded?.events[item.index];
            return event ? (
              <div key={item.key} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
                <EventRow event={event} showTarget={showTarget} />
              </div>
            ) : null;
          })}
        </div>
      </div>
      {loaded ? (
        <div className="audit-foot secondary" role="status">
          {t(loaded.nextBefore === null ? 'audit.allLoaded' : 'audit.loaded', { loaded: loaded.events.length, total: loaded.total })}
          {fetching ? <Spin size="small" /> : null}
        </div>
      ) : null}
    </div>
  );
}
