/**
 * Search: the query language (help in a popover), results as rows (HitSummary) with highlighted snippets, a
 * facet sidebar whose clicks add field filters to the query, and saved searches. A malformed query shows the
 * parser's own message inline. The box has the focus when the screen opens; suggestions close when a search
 * runs (so they never cover the first result); ↓ from the box moves into the results, where ↑/↓ walk and
 * Enter (or a click) opens the document drawer.
 */
import { QuestionCircleOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Empty, Input, Popover, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedSearch, SearchFacets, SearchHit, SearchResult, SearchSuggestion } from '../../shared/model';
import { useApp } from '../context';
import { DocumentDrawer } from '../document/DocumentDrawer';
import type { SearchContext } from '../document/PagesPanel';
import { searchTerms } from '../document/text-marks';
import { errorText } from '../format';
import { FacetCards } from './FacetCards';
import { addFilter, applySuggestion, facetFilter, wordBeingTyped, type FacetField } from './query-text';
import { RESULT_PAGE_SIZE } from './result-pages';
import { ResultList } from './ResultList';
import { SavedSearches } from './SavedSearches';

/** search:query pages up to offset 100,000 (contract.ts); a longer result lists that many and says the total. */
const MAX_LISTED = 100_000;

const SUGGESTIONS = 8;
/** Wait for a pause in typing before asking for suggestions. */
const SUGGEST_DELAY_MS = 120;
const HELP_LINES = ['words', 'phrase', 'exclude', 'prefix', 'fields', 'date', 'amount', 'sort'] as const;

function QueryHelp() {
  const { t } = useTranslation();
  return (
    <div className="query-help">
      {HELP_LINES.map((line) => (
        <div key={line}>
          <code>{t(`search.help.${line}.example`)}</code> — {t(`search.help.${line}.text`)}
        </div>
      ))}
    </div>
  );
}

function SuggestionLabel({ suggestion }: { suggestion: SearchSuggestion }) {
  const { t } = useTranslation();
  return (
    <div className="search-suggestion" data-insert={suggestion.insert}>
      <Tag>{t(`search.suggest.${suggestion.kind}`)}</Tag>
      <span>{suggestion.label}</span>
      {suggestion.detail ? <Typography.Text type="secondary"> {suggestion.detail}</Typography.Text> : null}
      {suggestion.count !== undefined ? <Typography.Text type="secondary"> · {t('search.suggest.count', { count: suggestion.count })}</Typography.Text> : null}
    </div>
  );
}

/** Suggestions for the word at the end of `query`, fetched after a pause in typing; stale answers are dropped. */
function useSuggestions(query: string): SearchSuggestion[] {
  const { platform } = useApp();
  const [suggestions, setSuggestions] = useState<SearchSuggestion[]>([]);
  useEffect(() => {
    const { word } = wordBeingTyped(query);
    if (word.trim() === '') {
      setSuggestions([]);
      return undefined;
    }
    let current = true;
    const timer = setTimeout(() => {
      platform.client.call('search:suggest', { prefix: word, limit: SUGGESTIONS }).then(
        (found) => {
          if (current) setSuggestions(found);
        },
        // Suggestions are a convenience: a failure leaves the box working as a plain input.
        () => {
          if (current) setSuggestions([]);
        },
      );
    }, SUGGEST_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [platform, query]);
  return suggestions;
}

/**
 * Typing changes only `query`: the result list, the facets, the saved searches and the drawer are memoised
 * and get callbacks that read the query through a ref, so a keystroke draws the search box and not them.
 */
export function SearchScreen() {
  const { t } = useTranslation();
  const { platform, revision } = useApp();
  const client = platform.client;
  const [query, setQuery] = useState('');
  const typed = useRef(query);
  typed.current = query;
  const [result, setResult] = useState<SearchResult | null>(null);
  const [facets, setFacets] = useState<SearchFacets | null>(null);
  /** The query whose results are shown: sidebar counts arriving for an older one are dropped. */
  const shownQuery = useRef<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [saved, setSaved] = useState<SavedSearch[]>([]);
  const [opened, setOpened] = useState<{ id: number; search: SearchContext } | null>(null);
  const suggestions = useSuggestions(query);
  const [searchNumber, setSearchNumber] = useState(0);
  const [suggesting, setSuggesting] = useState(false);
  const resultList = useRef<{ focus: () => void }>(null);
  const suggestionsShown = suggesting && suggestions.length > 0;
  const loadPage = useCallback(
    async (offset: number, limit: number) => {
      if (!result) return [];
      return (await client.call('search:query', { query: result.query, sort: result.sort, limit, offset, facets: false })).hits;
    },
    [client, result],
  );

  const run = useCallback(
    async (text: string) => {
      setQuery(text);
      setSuggesting(false);
      setLoading(true);
      try {
        const found = await client.call('search:query', { query: text, limit: RESULT_PAGE_SIZE });
        shownQuery.current = text;
        setResult(found);
        setFacets(null);
        setSearchNumber((number) => number + 1);
        setError(null);
        // Counting every match of a broad query costs more than its first page, so the sidebar fills in after.
        client.call('search:facets', { query: text }).then(
          (counted) => {
            if (shownQuery.current === text) setFacets(counted.facets);
          },
          (reason: unknown) => {
            if (shownQuery.current === text) setError(errorText(t, reason));
          },
        );
      } catch (reason) {
        setError(errorText(t, reason));
      } finally {
        setLoading(false);
      }
    },
    [client, t],
  );

  const loadSaved = useCallback(() => {
    client.call('savedSearches:list', {}).then(setSaved, (reason: unknown) => setError(errorText(t, reason)));
  }, [client, t]);

  useEffect(loadSaved, [loadSaved, revision]);

  const save = useCallback(
    async (name: string) => {
      try {
        await client.call('savedSearches:save', { name, query: typed.current });
        loadSaved();
        return true;
      } catch (reason) {
        setError(errorText(t, reason));
        return false;
      }
    },
    [client, loadSaved, t],
  );

  const remove = useCallback(
    async (name: string) => {
      try {
        await client.call('savedSearches:remove', { name });
        loadSaved();
      } catch (reason) {
        setError(errorText(t, reason));
      }
    },
    [client, loadSaved, t],
  );

  const runSaved = useCallback((text: string) => void run(text), [run]);
  const removeSaved = useCallback((name: string) => void remove(name), [remove]);
  const filter = useCallback((field: FacetField, value: string) => void run(addFilter(typed.current, facetFilter(field, value))), [run]);
  const open = useCallback(
    (hit: SearchHit) => setOpened({ id: hit.document.id, search: { pages: hit.pages, terms: searchTerms(result?.query ?? '', hit.snippet) } }),
    [result],
  );
  const close = useCallback(() => setOpened(null), []);

  return (
    <div className="screen search-screen">
      <Space className="screen-toolbar" wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('search.title')}
        </Typography.Title>
        <AutoComplete
          className="search-autocomplete"
          value={query}
          // Each option's value is the whole query with the word completed, so choosing one keeps the rest.
          options={suggestions.map((suggestion) => ({ value: applySuggestion(query, suggestion.insert), label: <SuggestionLabel suggestion={suggestion} /> }))}
          onChange={(text: string) => {
            setQuery(text);
            setSuggesting(true);
          }}
          open={suggestionsShown}
          onBlur={() => setSuggesting(false)}
          // Enter runs the search; a suggestion is taken only after moving to it with the arrow keys.
          defaultActiveFirstOption={false}
          aria-label={t('search.suggest.label')}
        >
          <Input.Search
            className="search-box"
            style={{ width: 480 }}
            placeholder={t('search.placeholder')}
            aria-label={t('search.placeholder')}
            enterButton={t('search.run')}
            loading={loading}
            autoFocus
            onKeyDown={(event) => {
              if (event.key === 'Escape') setSuggesting(false);
              if (event.key === 'ArrowDown' && !suggestionsShown && result && result.hits.length > 0) {
                event.preventDefault();
                resultList.current?.focus();
              }
            }}
            onSearch={(text) => void run(text)}
          />
        </AutoComplete>
        <Popover title={t('search.help.title')} content={<QueryHelp />} trigger="click">
          <Button icon={<QuestionCircleOutlined />} aria-label={t('search.help.title')} />
        </Popover>
        {result ? (
          <Typography.Text type="secondary" className="search-total">
            {t('search.total', { total: result.total, ms: result.tookMs })}
          </Typography.Text>
        ) : null}
      </Space>
      {error ? <Alert className="search-error" type="error" showIcon title={error} closable onClose={() => setError(null)} /> : null}
      {result && !result.indexComplete ? <Alert type="warning" showIcon title={t('search.indexIncomplete')} /> : null}
      <div className="search-body">
        <div className="search-side">
          <SavedSearches saved={saved} canSave={query.trim() !== ''} onRun={runSaved} onSave={save} onRemove={removeSaved} />
          {result ? <FacetCards facets={facets} onFilter={filter} /> : null}
        </div>
        {result ? (
          result.hits.length === 0 ? (
            <div className="search-results">
              <Empty description={t('search.noHits')} />
            </div>
          ) : (
            <ResultList
              ref={resultList}
              key={searchNumber}
              total={Math.min(result.total, MAX_LISTED)}
              firstPage={result.hits}
              loadPage={loadPage}
              onOpen={open}
            />
          )
        ) : (
          <div className="search-results">
            <Empty description={t('search.start')} />
          </div>
        )}
      </div>
      <DocumentDrawer documentId={opened?.id ?? null} search={opened?.search} onClose={close} />
    </div>
  );
}
