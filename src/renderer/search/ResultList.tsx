/**
 * The result list, virtualized: only the rows in view (plus a few) are in the DOM, and their pages of hits
 * are fetched by offset as they scroll into view, so 100,000 results scroll like 20.
 */
import { Tag } from 'antd';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../shared/model';
import { STATUS_COLOURS } from '../document/status-colours';
import { RESULT_PAGE_SIZE, pagesToLoad } from './result-pages';
import { Snippet } from './Snippet';

/** Fixed row height: the snippet is one line (ellipsis), so every row measures the same. */
const ROW_HEIGHT = 84;
const OVERSCAN = 8;

export interface ResultListProps {
  total: number;
  /** The first page, as the search that produced `total` returned it. */
  firstPage: SearchHit[];
  loadPage: (offset: number, limit: number) => Promise<SearchHit[]>;
  onOpen: (hit: SearchHit) => void;
}

/**
 * One row in plain elements (antd's Typography/Space cost several times more per row), memoised so that
 * rows staying in view are not re-rendered on every scroll frame.
 */
const HitRow = memo(function HitRow({ hit, onOpen }: { hit: SearchHit; onOpen: (hit: SearchHit) => void }) {
  const { t } = useTranslation();
  return (
    <div className="search-hit" data-archive-no={hit.archiveNo} onClick={() => onOpen(hit)}>
      <div className="search-hit-main">
        <div className="search-hit-title">
          <span className="mono">{hit.archiveNo}</span> <strong>{hit.document.title}</strong>{' '}
          <Tag color={STATUS_COLOURS[hit.document.status]}>{t(`status.${hit.document.status}`)}</Tag>
        </div>
        {hit.snippet ? (
          <div className="search-hit-snippet">
            <span className="secondary">{t(`search.field.${hit.snippet.field}`)}: </span>
            <Snippet snippet={hit.snippet} />
          </div>
        ) : null}
        {hit.pages.length > 0 ? <div className="secondary">{t('search.pageHits', { pages: hit.pages.length })}</div> : null}
      </div>
      <span className="secondary score">{t('search.score', { score: hit.score.toFixed(2) })}</span>
    </div>
  );
});

/** Memoised: the Search screen draws again on every keystroke in the search box, the list only for a new result. */
export const ResultList = memo(function ResultList({ total, firstPage, loadPage, onOpen }: ResultListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // Pages by number; a page being fetched is present with no hits yet. A new search mounts a new list.
  const [pages, setPages] = useState<Map<number, SearchHit[] | null>>(() => new Map([[0, firstPage]]));
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  useEffect(() => {
    const missing = pagesToLoad(first, last, new Set(pages.keys()));
    if (missing.length === 0) return;
    setPages((current) => new Map([...current, ...missing.map((page): [number, null] => [page, null])]));
    for (const page of missing) {
      loadPage(page * RESULT_PAGE_SIZE, RESULT_PAGE_SIZE).then(
        (hits) => setPages((current) => new Map(current).set(page, hits)),
        // Forget the page so that scrolling past it again retries.
        () =>
          setPages((current) => {
            const next = new Map(current);
            next.delete(page);
            return next;
          }),
      );
    }
  }, [first, last, pages, loadPage]);

  return (
    <div ref={scroller} className="search-results" data-total={total}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const hit = pages.get(Math.floor(item.index / RESULT_PAGE_SIZE))?.[item.index % RESULT_PAGE_SIZE];
          return (
            <div
              key={item.key}
              className="search-row"
              data-index={item.index}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              {hit ? <HitRow hit={hit} onOpen={onOpen} /> : <div className="search-row-loading" />}
            </div>
          );
        })}
      </div>
    </div>
  );
});
