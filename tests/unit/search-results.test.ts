/**
 * Whole result sets on a generated archive (bench/search-corpus.ts): every query of the benchmark's mix finds
 * exactly what a brute-force reading of the documented semantics finds, pages add up to that set, and asking
 * for facets does not change the ranking. Real archive, real index, on both back ends.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../src/main/core/archive';
import { bruteForceTruth, generateCorpus, queryMix, type BenchQuery, type Corpus } from '../../bench/search-corpus';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir } from '../helpers/fixtures';
import { loadCorpusInto, rebuildIndex, searchOf } from '../helpers/search-back-ends';

const DOCUMENTS = 3000;

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let archive: Archive;
  let corpus: Corpus;
  let queries: BenchQuery[];

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-results' });
    corpus = generateCorpus(DOCUMENTS);
    loadCorpusInto(archive, corpus);
    await rebuildIndex(archive);
    queries = queryMix(corpus);
  });

  afterAll(() => archive.close());

  describe('search results on a generated archive', () => {
    it('every query of the benchmark mix matches exactly the brute-force result set', async () => {
      const truth = bruteForceTruth(corpus, queries);
      const differing: BenchQuery[] = [];
      for (const query of queries) {
        if (JSON.stringify(await searchOf(archive).matchingIds(query.query)) !== JSON.stringify(truth.get(query.query))) differing.push(query);
      }
      expect(differing.map((query) => query.query)).toEqual([]);
      // The mix is not trivially satisfied: most queries find something, the no-hit ones nothing.
      expect(queries.filter((query) => truth.get(query.query)!.length > 0).length).toBeGreaterThan(queries.length * 0.8);
    });

    it('pages of a broad query add up to its whole result set, in score order, with or without facets', async () => {
      const search = searchOf(archive);
      const all = await search.matchingIds('签收');
      expect(all.length).toBeGreaterThan(500);
      const seen: number[] = [];
      let previousScore = Infinity;
      for (let offset = 0; offset < all.length; offset += 200) {
        const plain = await search.search({ query: '签收', limit: 200, offset, facets: false });
        const withFacets = await search.search({ query: '签收', limit: 200, offset, facets: true });
        expect(withFacets.hits.map((hit) => [hit.document.id, hit.score])).toEqual(plain.hits.map((hit) => [hit.document.id, hit.score]));
        expect(withFacets.total).toBe(all.length);
        expect(plain.total).toBe(all.length);
        for (const hit of plain.hits) {
          expect(hit.score).toBeLessThanOrEqual(previousScore);
          previousScore = hit.score;
          seen.push(hit.document.id);
        }
      }
      expect([...seen].sort((a, b) => a - b)).toEqual(all);
      const facets = (await search.search({ query: '签收', limit: 1, offset: 0, facets: true })).facets;
      expect(facets.year.reduce((sum, year) => sum + year.count, 0)).toBe(all.filter((id) => corpus.documents[id - 1]!.signedDate !== null).length);
    });
  });
});
