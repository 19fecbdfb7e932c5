/** Every contract call refuses malformed input with a VALIDATION error before anything reaches the core, on both back ends. */
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { contract, METHODS } from '../../src/shared/contract';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir } from '../helpers/fixtures';

describe.each(BACK_ENDS)('contract input validation on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  // The inputs are refused before the core, whatever stores the archive: PostgreSQL shows that nothing reached
  // its database with fewer inputs per call, as each look at the audit head is a round trip to the server.
  const runsPerMethod = backEndName === 'sqlite' ? 40 : 10;
  let archive: Archive;
  let api: ApiClient;

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'fuzzer' });
    api = await adminClient(archive);
  });
  afterAll(() => archive.close());

  it.each(METHODS)('%s rejects invalid input without touching the archive', async (method) => {
    // A missing input means "no options" (the api reads it as {}), so it is not invalid.
    const invalid = fc.anything({ withNullPrototype: true, withBigInt: true }).filter((input) => !contract[method].input.safeParse(input ?? {}).success);
    await fc.assert(
      fc.asyncProperty(invalid, async (input) => {
        const headBefore = archive.audit.head();
        const result = await api.invoke(method, input);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('VALIDATION');
        // Nothing reached the core: not even a read was recorded.
        expect(archive.audit.head()).toEqual(headBefore);
      }),
      { numRuns: runsPerMethod },
    );
  });

  it('rejects unknown method names', async () => {
    for (const name of ['documents:delete', '__proto__', 'constructor', '', 'archive:status ']) {
      const result = await api.invoke(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });
});
