/**
 * The result list, virtualized: only the rows in view (plus a few) are in the DOM, and their pages of hits
 * are fetched by offset as they scroll into view, so 100,000 results scroll like 20. With the focus in the
 * list, ↑/↓ (and Home/End) walk the rows and Enter opens the one selected.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../shared/model';
import { useTypeLabel, type TypeLabel } from '../document/type-labels';
import { HitSummary } from './HitSummary';
import { RESULT_PAGE_SIZE, pagesToLoad } from './result-pages';
import './find.css';

/** Fixed row height: the snippet is one line (ellipsis), so every row measures the same. */
const ROW_HEIGHT = 84;
const OVERSCAN = 8;

export interface ResultListProps {
  total: number;
  /** The first page, as the search that produced `total` returned it. */
  firstPage: SearchHit[];
  loadPage: (offset: number, limit: number) => Promise<SearchHit[]>;
  onOpen: (hit: SearchHit) => void;
  /** Lets the search box hand the keyboard to the list (↓ from the box). */
  ref?: Ref<{ focus: () => void }>;
}

/**
 * One row in plain elements (antd's Typography/Space cost several times more per row), memoised so that
 * rows staying in view are not re-rendered on every scroll frame.
 */
const HitRow = memo(function HitRow({
  hit,
  selected,
  typeLabel,
  onOpen,
}: {
  hit: SearchHit;
  selected: boolean;
  typeLabel: TypeLabel;
  onOpen: (hit: SearchHit) => void;
}) {
  const { t } = useTranslation();
  return (
    <div
      className={`search-hit${selected ? ' hit-selected' : ''}`}
      data-archive-no={hit.archiveNo}
      aria-selected={selected}
      role="option"
      onClick={() => onOpen(hit)}
    >
      <div className="search-hit-main">
        <HitSummary hit={hit} typeLabel={typeLabel} />
        {hit.pages.length > 0 ? <div className="secondary">{t('search.pageHits', { pages: hit.pages.length })}</div> : null}
      </div>
    </div>
  );
});

/** Memoised: the Search screen draws again on every keystroke in the search box, the list only for a new result. */
export const ResultList = memo(function ResultList({ total, firstPage, loadPage, onOpen, ref }: ResultListProps) {
  const { t } = useTranslation();
  const typeLabel = useTypeLabel();
  const scroller = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState(-1);
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

  const hitAt = (index: number) => pages.get(Math.floor(index / RESULT_PAGE_SIZE))?.[index % RESULT_PAGE_SIZE];
  const select = (index: number) => {
    const next = Math.min(Math.max(index, 0), total - 1);
    setSelected(next);
    virtualizer.scrollToIndex(next);
  };
  useImperativeHandle(ref, () => ({
    focus: () => {
      scroller.current?.focus();
      if (selected < 0) select(0);
    },
  }));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = {
      ArrowDown: selected + 1,
      ArrowUp: selected - 1,
      Home: 0,
      End: total - 1,
      PageDown: selected + 8,
      PageUp: selected - 8,
    };
    if (event.key in moves) {
      event.preventDefault();
      select(moves[event.key]!);
    } else if (event.key === 'Enter') {
      const hit = hitAt(selected);
      if (!hit) return;
      event.preventDefault();
      onOpen(hit);
    }
  };

  return (
    <div ref={scroller} className="search-results" data-total={total} tabIndex={0} role="listbox" aria-label={t('find.results')} onKeyDown={onKeyDown}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const hit = hitAt(item.index);
          return (
            <div
              key={item.key}
              className="search-row"
              data-index={item.index}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              {hit ? <HitRow hit={hit} selected={item.index === selected} typeLabel={typeLabel} onOpen={onOpen} /> : <div className="search-row-loading" />}
            </div>
          );
        })}
      </div>
    </div>
  );
});
