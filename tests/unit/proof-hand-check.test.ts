/**
 * Checking a proof package the way an outsider does, with real programs only: `unzip`, `sha256sum -c`
 * and the Python script printed in docs/proof-package.md (which every package also carries).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../src/main/core/archive';
import { exportProof } from '../../src/main/core/proof/export';
import { CHAIN_SCRIPT } from '../../src/main/core/proof/hand-check';
import { CHAIN_SCRIPT_MEMBER, EVENTS_MEMBER } from '../../src/main/core/proof/layout';
import type { AuditEvent } from '../../src/shared/model';
import { tempDir } from '../helpers/fixtures';
import { REPO_ROOT } from '../helpers/cli';
import { archiveWithHistory } from '../helpers/proof-package';

const opened: Archive[] = [];
afterEach(() => {
  for (const archive of opened.splice(0)) archive.close();
});

function run(program: string, args: string[], cwd: string) {
  const result = spawnSync(program, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The script exactly as docs/proof-package.md prints it. */
function documentedScript(): string {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'proof-package.md'), 'utf8');
  const match = /```python\n([\s\S]*?)```/.exec(doc);
  if (!match) throw new Error('docs/proof-package.md prints no Python script');
  return match[1]!;
}

/** A package from a real archive, unzipped by `unzip`, and the documented script saved beside it. */
async function unzippedPackage() {
  const { archive, archiveNos } = await archiveWithHistory();
  opened.push(archive);
  const work = tempDir('slipvault-proof-hand-');
  const result = await exportProof(archive, { documents: [archiveNos[0], archiveNos[2]], out: join(work, 'proof.zip') });
  const folder = join(work, 'proof');
  expect(run('unzip', ['-q', result.path, '-d', folder], work).status).toBe(0);
  const script = join(work, 'verify-chain.py');
  writeFileSync(script, documentedScript());
  return { folder, script, result };
}

describe('checking a proof package by hand', () => {
  it('prints the same script in the documentation as in every package', () => {
    expect(documentedScript()).toBe(CHAIN_SCRIPT);
  });

  it('passes sha256sum -c and the documented script on a genuine package', async () => {
    const { folder, script, result } = await unzippedPackage();
    const sums = run('sha256sum', ['-c', 'SHA256SUMS'], folder);
    expect(sums.status, sums.output).toBe(0);
    expect(sums.output).toMatch(/files\/[0-9a-f]{64}\.jpg: OK/);
    expect(sums.output).not.toMatch(/FAILED/);
    expect(readFileSync(join(folder, CHAIN_SCRIPT_MEMBER), 'utf8')).toBe(CHAIN_SCRIPT);
    // The chain holds numbers JavaScript writes in exponent form; the script must write them the same way.
    const events = readFileSync(join(folder, EVENTS_MEMBER), 'utf8');
    expect(events).toContain('"big":1e+21');
    expect(events).toContain('"smaller":-2.5e-7');
    expect(events).toContain('"tiny":0.00001');
    const chain = run('python3', [script], folder);
    expect(chain.status, chain.output).toBe(0);
    expect(chain.output).toContain(`head ${result.head.hash}`);
  });

  it('fails sha256sum -c or the script for a changed event or file, naming it', async () => {
    const { folder, script } = await unzippedPackage();
    const eventsPath = join(folder, EVENTS_MEMBER);
    const original = readFileSync(eventsPath, 'utf8');
    const lines = original.split('\n');
    const index = lines.findIndex((line) => line.includes('"action":"document.edit"'));
    const edit = JSON.parse(lines[index]!) as AuditEvent;
    lines[index] = lines[index]!.replace('"actor":"李娜"', '"actor":"manager"');
    writeFileSync(eventsPath, lines.join('\n'));
    expect(run('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], folder)).toMatchObject({ status: 1, output: expect.stringContaining(`${EVENTS_MEMBER}: FAILED`) });
    expect(run('python3', [script], folder)).toMatchObject({
      status: 1,
      output: `event ${edit.seq} (document.edit) was altered: its hash does not match its content\n`,
    });
    writeFileSync(eventsPath, original);

    // An original replaced and SHA256SUMS rewritten to match: sha256sum is satisfied, the chain is not.
    const replacedFile = readFileSync(join(folder, 'SHA256SUMS'), 'utf8')
      .split('\n')
      .find((line) => line.includes('files/'))!
      .slice(66);
    writeFileSync(join(folder, replacedFile), 'another picture');
    const resealed = run(
      'sha256sum',
      readFileSync(join(folder, 'SHA256SUMS'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(66)),
      folder,
    );
    writeFileSync(join(folder, 'SHA256SUMS'), resealed.output);
    expect(run('sha256sum', ['-c', 'SHA256SUMS'], folder).status).toBe(0);
    expect(run('python3', [script], folder)).toMatchObject({ status: 1, output: `${replacedFile} is not the file the export event recorded\n` });
  });
});
