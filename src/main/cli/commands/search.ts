/** Search commands: search, reindex, searches (saved searches). The query language is in README "Search". */
import type { Command } from 'commander';
import type { JobProgress } from '../../../shared/events';
import type { ReindexResult, SavedSearch, SearchResult, SearchSnippet } from '../../../shared/model';
import { CliFailure, EXIT_USAGE, type CliContext, type CommandModule } from '../context';

function parseCount(value: string, what: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new CliFailure({ code: 'VALIDATION', message: `--${what} must be a whole number ≥ ${min}, not "${value}".` }, EXIT_USAGE);
  }
  return Number(value);
}

/** The snippet with each match in 【】. */
function marked(snippet: SearchSnippet): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.marks) {
    if (start < at) continue;
    out += `${snippet.text.slice(at, start)}【${snippet.text.slice(start, end)}】`;
    at = end;
  }
  return out + snippet.text.slice(at);
}

export function formatSearch(result: SearchResult): string {
  const lines: string[] = [];
  for (const hit of result.hits) {
    const doc = hit.document;
    const facts = [doc.status, doc.customer, doc.signedDate, doc.amount === null ? null : `${doc.amount} ${doc.currency ?? ''}`.trim()]
      .filter(Boolean)
      .join('  ');
    lines.push(`${hit.archiveNo}  ${doc.title}${hit.score > 0 ? `  (score ${hit.score})` : ''}`);
    if (facts) lines.push(`    ${facts}`);
    if (hit.snippet) lines.push(`    ${hit.snippet.field}: ${marked(hit.snippet)}`);
    if (hit.pages.length > 0) lines.push(`    pages ${hit.pages.map((page) => page.position).join(', ')}`);
  }
  const shown = result.hits.length === 0 ? '' : `, showing ${result.offset + 1}–${result.offset + result.hits.length}`;
  lines.push(`${result.total} document(s)${shown}, sorted by ${result.sort}, ${result.tookMs} ms`);
  const facet = (name: string, counts: { value: string; count: number }[]) =>
    counts.length === 0 ? null : `  ${name}: ${counts.map((entry) => `${entry.value} (${entry.count})`).join(', ')}`;
  lines.push(
    ...[facet('customer', result.facets.customer), facet('type', result.facets.type), facet('year', result.facets.year)].filter(
      (line): line is string => line !== null,
    ),
  );
  if (!result.indexComplete) lines.push('The search index is being rebuilt; run `slipvault reindex` to finish it. Some documents may be missing.');
  return lines.join('\n');
}

/** A bar redrawn in place on a terminal; one line per batch otherwise (logs, scripts). */
function reindexProgressLine(progress: JobProgress, onTerminal: boolean): string {
  const counts = `${progress.done}/${progress.total} documents`;
  if (!onTerminal) return `reindex: ${counts}\n`;
  const width = 30;
  const fraction = progress.done / Math.max(1, progress.total);
  const filled = Math.round(fraction * width);
  const eta = progress.etaMs === undefined ? '' : ` ETA ${Math.ceil(progress.etaMs / 1000)}s`;
  return `\rreindex [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${counts}${eta}   `;
}

function pageOptions(command: Command): Command {
  return command.option('--limit <n>', 'how many results', '20').option('--offset <n>', 'skip this many results', '0');
}

function registerSavedSearches(program: Command, context: CliContext): void {
  const searches = program.command('searches').description('saved searches: list, save, run, remove');
  searches
    .command('list', { isDefault: true })
    .description('list saved searches')
    .action(async () => {
      const list = await context.call('searches', 'savedSearches:list', {});
      context.emit(list, list.length === 0 ? 'No saved searches.' : list.map((entry: SavedSearch) => `${entry.name}  ${entry.query}`).join('\n'));
    });
  searches
    .command('save <name> <query>')
    .description('save a query under a name (replaces a saved search of that name)')
    .action(async (name: string, query: string) => {
      const saved = await context.call('searches save', 'savedSearches:save', { name, query });
      context.emit(saved, `Saved "${saved.name}": ${saved.query}`);
    });
  pageOptions(searches.command('run <name>').description('run a saved search')).action(async (name: string, options: { limit: string; offset: string }) => {
    const result = await context.call('searches run', 'savedSearches:run', {
      name,
      limit: parseCount(options.limit, 'limit', 1),
      offset: parseCount(options.offset, 'offset', 0),
    });
    context.emit(result, formatSearch(result));
  });
  searches
    .command('remove <name>')
    .description('remove a saved search')
    .action(async (name: string) => {
      const removed = await context.call('searches remove', 'savedSearches:remove', { name });
      context.emit(removed, `Removed "${name}".`);
    });
}

export const registerSearchCommands: CommandModule = (program, context) => {
  pageOptions(
    program
      .command('search <query...>')
      .description('search documents, e.g. slipvault search 签收 customer:华南 date:2026-01..2026-03 -voided')
      .option('--sort <order>', 'relevance, date or date-asc')
      // "-word" excludes a word: pass unknown "options" through as part of the query.
      .allowUnknownOption(),
  ).action(async (words: string[], options: { limit: string; offset: string; sort?: string }) => {
    const result = await context.call('search', 'search:query', {
      query: words.join(' '),
      limit: parseCount(options.limit, 'limit', 1),
      offset: parseCount(options.offset, 'offset', 0),
      facets: true,
      ...(options.sort ? { sort: options.sort as 'relevance' } : {}),
    });
    context.emit(result, formatSearch(result));
  });

  program
    .command('reindex')
    .description('rebuild the search index (continues an interrupted rebuild)')
    .option('--restart', 'start over from the first document')
    .action(async (options: { restart?: boolean }) => {
      const result = await context.withArchive('reindex', async ({ call, on }) => {
        const onTerminal = process.stderr.isTTY && !context.json();
        const off = on('jobs:progress', (progress) => context.io.stderr(reindexProgressLine(progress, onTerminal)));
        try {
          return await call('search:reindex', { restart: options.restart === true });
        } finally {
          off();
          if (onTerminal) context.io.stderr('\n');
        }
      });
      const summary: ReindexResult = result;
      context.emit(summary, `Indexed ${summary.indexed} document(s)${summary.resumedAfter > 0 ? ` (continued after document ${summary.resumedAfter})` : ''}.`);
    });

  registerSavedSearches(program, context);
};
