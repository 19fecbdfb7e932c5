/**
 * The search box in the header, on every screen: Ctrl+K, or / when not typing in a field, puts the cursor in
 * it. Results come as rows under the box while typing (after a short pause, stale answers dropped); ↑/↓ walk
 * them, Enter opens the document drawer on the row, Esc closes the list (and a second Esc leaves the box).
 */
import { SearchOutlined } from '@ant-design/icons';
import { Input, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../shared/model';
import { useApp } from '../context';
import { DocumentDrawer } from '../document/DocumentDrawer';
import type { SearchContext } from '../document/PagesPanel';
import { searchTerms } from '../document/text-marks';
import { useTypeLabel } from '../document/type-labels';
import { isTypingTarget } from '../document/viewer-keys';
import { errorText } from '../format';
import { HitSummary } from './HitSummary';
import './find.css';

const QUICK_RESULTS = 8;
/** Wait for a pause in typing before searching. */
const SEARCH_DELAY_MS = 150;

interface QuickResult {
  query: string;
  hits: SearchHit[];
  total: number;
}

/** Ctrl+K anywhere, or / outside a text field, focuses the box. */
function useFocusKeys(focus: () => void, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (event: globalThis.KeyboardEvent) => {
      const ctrlK = (event.ctrlKey || event.metaKey) && !event.altKey && event.code === 'KeyK';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTypingTarget(event.target);
      if (!ctrlK && !slash) return;
      event.preventDefault();
      focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focus, enabled]);
}

/** The first results for `text`, fetched after a pause in typing. */
function useQuickResults(text: string): { result: QuickResult | null; error: string | null } {
  const { t } = useTranslation();
  const { platform } = useApp();
  const [result, setResult] = useState<QuickResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const query = text.trim();
    if (query === '') {
      setResult(null);
      setError(null);
      return undefined;
    }
    let current = true;
    const timer = setTimeout(() => {
      platform.client.call('search:query', { query, limit: QUICK_RESULTS }).then(
        (found) => {
          if (!current) return;
          setResult({ query, hits: found.hits, total: found.total });
          setError(null);
        },
        (reason: unknown) => {
          if (!current) return;
          setResult(null);
          setError(errorText(t, reason));
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [platform, text, t]);
  return { result, error };
}

export function GlobalSearch({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  const typeLabel = useTypeLabel();
  const input = useRef<InputRef>(null);
  const [text, setText] = useState('');
  const [listOpen, setListOpen] = useState(false);
  const [selected, setSelected] = useState(0);
  const [opened, setOpened] = useState<{ id: number; search: SearchContext } | null>(null);
  const { result, error } = useQuickResults(text);
  const hits = result?.hits ?? [];

  const focus = useCallback(() => input.current?.focus({ cursor: 'all' }), []);
  useFocusKeys(focus, enabled && opened === null);
  useEffect(() => setSelected(0), [result]);

  const open = (hit: SearchHit) => {
    setListOpen(false);
    setOpened({ id: hit.document.id, search: { pages: hit.pages, terms: searchTerms(result?.query ?? '', hit.snippet) } });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // An IME composing Chinese uses Enter, Esc and the arrows itself.
    if (event.nativeEvent.isComposing) return;
    // These keys are the box's: a screen's own ↑/↓/Enter (the archive table's) must not act on them too.
    if (['ArrowDown', 'ArrowUp', 'Enter', 'Escape'].includes(event.key)) event.stopPropagation();
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setListOpen(true);
      if (hits.length > 0) setSelected((index) => (index + (event.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const hit = hits[selected];
      if (hit) open(hit);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (listOpen) setListOpen(false);
      else input.current?.blur();
    }
  };

  const showList = listOpen && (result !== null || error !== null);

  return (
    <div className="quick-search">
      <Input
        ref={input}
        allowClear
        prefix={<SearchOutlined />}
        value={text}
        placeholder={t('find.placeholder')}
        aria-label={t('find.label')}
        aria-expanded={showList}
        aria-controls="quick-results"
        role="combobox"
        onChange={(event) => {
          setText(event.target.value);
          setListOpen(true);
        }}
        onFocus={() => setListOpen(true)}
        onBlur={() => setListOpen(false)}
        onKeyDown={onKeyDown}
        className="quick-search-box"
      />
      {showList ? (
        // Clicks inside the list keep the focus in the box, so the list stays open until a row is chosen.
        <div id="quick-results" className="quick-results" role="listbox" aria-label={t('find.results')} onMouseDown={(event) => event.preventDefault()}>
          {error ? <div className="quick-results-note search-error">{error}</div> : null}
          {result && hits.length === 0 ? <div className="quick-results-note">{t('find.none')}</div> : null}
          {hits.map((hit, index) => (
            <div
              key={hit.document.id}
              role="option"
              aria-selected={index === selected}
              className={`quick-hit${index === selected ? ' hit-selected' : ''}`}
              data-archive-no={hit.archiveNo}
              onMouseEnter={() => setSelected(index)}
              onClick={() => open(hit)}
            >
              <HitSummary hit={hit} typeLabel={typeLabel} />
            </div>
          ))}
          {result && result.total > hits.length ? (
            <div className="quick-results-note">{t('find.more', { shown: hits.length, total: result.total })}</div>
          ) : null}
        </div>
      ) : null}
      <DocumentDrawer documentId={opened?.id ?? null} search={opened?.search} onClose={() => setOpened(null)} />
    </div>
  );
}
