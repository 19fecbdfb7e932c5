/** `slipvault proof export|verify` through the real command line (run in-process), on a real archive folder. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, runCli } from '../../src/main/cli/run';
import type { ProofVerification } from '../../src/shared/proof';
import { tempDir } from '../helpers/fixtures';
import { archiveWithHistory, rewritePackage } from '../helpers/proof-package';
import { ensureUser, TEST_PASSWORD } from '../helpers/sessions';

async function proof(archiveDir: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(['--archive', archiveDir, ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD },
  });
  return { status, stdout, stderr };
}

async function closedArchive() {
  const { archive, dir, archiveNos } = await archiveWithHistory();
  await ensureUser(archive, 'clerk-li', 'clerk');
  archive.close();
  return { dir, archiveNos };
}

describe('slipvault proof', () => {
  it('exports documents as a package and verifies it, in words and as JSON', async () => {
    const { dir, archiveNos } = await closedArchive();
    const out = join(tempDir('slipvault-proof-cli-'), 'proof.zip');
    const exported = await proof(dir, ['proof', 'export', archiveNos[0], archiveNos[1], '--out', out]);
    expect(exported.status, exported.stderr).toBe(EXIT_OK);
    expect(exported.stdout).toContain(`Wrote ${out}`);
    expect(exported.stdout).toContain(`${archiveNos[0]}, ${archiveNos[1]}`);
    const head = /audit head: event \d+ ([0-9a-f]{64})/.exec(exported.stdout)![1]!;

    const verified = await proof(dir, ['proof', 'verify', out, '--head', head.toUpperCase()]);
    expect(verified.status).toBe(EXIT_OK);
    expect(verified.stdout).toContain('exported by clerk-li');
    expect(verified.stdout).toContain(`${archiveNos[0]}: 5 version(s), 1 original file(s)`);
    expect(verified.stdout).toContain('VERIFIED:');
    const json = await proof(dir, ['--json', 'proof', 'verify', out]);
    expect(JSON.parse(json.stdout) as ProofVerification).toMatchObject({ ok: true, head: { hash: head }, problems: [] });
  });

  it('exits 1 with each problem for a changed package or another head, 2 for a malformed head', async () => {
    const { dir, archiveNos } = await closedArchive();
    const out = join(tempDir('slipvault-proof-cli-'), 'proof.zip');
    expect((await proof(dir, ['proof', 'export', archiveNos[1], '--out', out])).status).toBe(EXIT_OK);
    const forged = rewritePackage(out, (members) => members.set('VERIFY.txt', Buffer.from('Trust me.')));
    const refused = await proof(dir, ['proof', 'verify', forged]);
    expect(refused.status).toBe(EXIT_FAILED);
    expect(refused.stdout).toContain('NOT VERIFIED: 3 problem(s):');
    expect(refused.stdout).toContain('  - VERIFY.txt does not match its SHA-256 in SHA256SUMS');
    expect(refused.stdout).toContain('  - VERIFY.txt is not the file the export event recorded (SHA-256 differs)');
    const otherHead = await proof(dir, ['proof', 'verify', out, '--head', 'ab'.repeat(32)]);
    expect(otherHead.status).toBe(EXIT_FAILED);
    expect(otherHead.stdout).toContain(`not at the expected head ${'ab'.repeat(32)}`);
    expect(await proof(dir, ['proof', 'verify', out, '--head', 'abc'])).toMatchObject({ status: EXIT_USAGE, stderr: expect.stringContaining('64 hex digits') });
  });

  it('refuses an export it cannot make, and a command without its arguments', async () => {
    const { dir, archiveNos } = await closedArchive();
    const folder = tempDir('slipvault-proof-cli-');
    expect(await proof(dir, ['proof', 'export', 'SV-2026-004242', '--out', join(folder, 'p.zip')])).toMatchObject({
      status: EXIT_FAILED,
      stderr: expect.stringContaining('There is no document SV-2026-004242'),
    });
    expect((await proof(dir, ['proof', 'export', archiveNos[0]])).status).toBe(EXIT_USAGE);
    expect((await proof(dir, ['proof', 'verify'])).status).toBe(EXIT_USAGE);
    expect(await proof(dir, ['proof', 'verify', join(folder, 'p.zip')])).toMatchObject({
      status: EXIT_FAILED,
      stderr: expect.stringContaining('does not exist'),
    });
  });
});
