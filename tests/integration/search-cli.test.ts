/** `slipvault search`, `reindex` and `searches` as real processes on a real archive. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult, ReindexResult, SearchResult } from '../../src/shared/model';
import { ensureCliBuilt, slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe('slipvault search', () => {
  beforeAll(() => ensureCliBuilt());

  it('searches with the query language, pages, reports bad queries with exit 2, reindexes with progress, saves searches', async () => {
    const archive = join(tempDir(), 'archive');
    const files = tempDir('slipvault-files-');
    const arc = ['--archive', archive];
    expect(slipvault([...arc, 'init']).status).toBe(0);
    const imported = slipvaultJson<ImportResult>([...arc, 'import', await writeJpeg(files, 'a.jpg'), await writeJpeg(files, 'b.jpg')]);
    const [a, b] = imported.imported.map((entry) => entry.document.archiveNo) as [string, string];
    expect(slipvault([...arc, 'edit', a, '--set', 'notes=货物已签收 pallet ok', 'customer=华南贸易', 'signedDate=2026-03-05']).status).toBe(0);
    expect(slipvault([...arc, 'edit', b, '--set', 'notes=签收单 no pallet', 'signedDate=2026-04-01']).status).toBe(0);

    const both = slipvaultJson<SearchResult>([...arc, 'search', '签收', '--sort', 'date']);
    expect(both.hits.map((hit) => hit.archiveNo)).toEqual([b, a]);
    expect(slipvaultJson<SearchResult>([...arc, 'search', '签收', '--limit', '1', '--offset', '1', '--sort', 'date']).hits.map((hit) => hit.archiveNo)).toEqual(
      [a],
    );
    // "-word" is part of the query, not an option.
    const excluded = slipvaultJson<SearchResult>([...arc, 'search', '签收', '-customer:华南']);
    expect(excluded.hits.map((hit) => hit.archiveNo)).toEqual([b]);

    const human = slipvault([...arc, 'search', '已签收']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain(`${a}  a`);
    expect(human.stdout).toContain('notes: 货物【已签收】 pallet ok');
    expect(human.stdout).toContain('customer: 华南贸易 (1)');

    const bad = slipvault([...arc, 'search', '签收', 'colour:red']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Search query problem at character 4 ("colour:red")');
    expect(slipvault([...arc, 'search', 'x', '--limit', 'many']).status).toBe(2);

    const reindex = slipvault([...arc, '--json', 'reindex', '--restart']);
    expect(reindex.status, reindex.stderr).toBe(0);
    expect(JSON.parse(reindex.stdout) as ReindexResult).toEqual({ indexed: 2, total: 2, resumedAfter: 0 });
    expect(reindex.stderr).toContain('reindex: 2/2 documents');

    expect(slipvault([...arc, 'searches', 'save', '三月', '签收 date:2026-03']).status).toBe(0);
    expect(slipvault([...arc, 'searches']).stdout).toContain('三月  签收 date:2026-03');
    expect(slipvaultJson<SearchResult>([...arc, 'searches', 'run', '三月']).hits.map((hit) => hit.archiveNo)).toEqual([a]);
    expect(slipvault([...arc, 'searches', 'remove', '三月']).status).toBe(0);
    expect(slipvault([...arc, 'searches', 'run', '三月']).status).toBe(1);
  });
});
