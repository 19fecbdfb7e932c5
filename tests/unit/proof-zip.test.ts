/** The proof package's ZIP writer and reader against the standard tools: `unzip` reads ours, we read `zip`'s. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip, ZipFileWriter } from '../../src/main/core/proof/zip';
import { tempDir } from '../helpers/fixtures';

function run(program: string, args: string[], cwd: string) {
  const result = spawnSync(program, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const members = new Map<string, Buffer>([
  ['manifest.json', Buffer.from('{"a":1}\n')],
  ['files/empty.bin', Buffer.alloc(0)],
  ['files/random.bin', Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 7919) % 251))],
  ['documents/SV-2026-000001/versions.json', Buffer.from('{"title":"送货单"}\n')],
]);

function writeZip(path: string, entries: Map<string, Buffer> | [string, Buffer][]): { bytes: number; sha256: string } {
  const writer = new ZipFileWriter(path);
  for (const [name, data] of entries) writer.add(name, data, new Date('2026-03-05T10:20:30Z'));
  return writer.finish();
}

describe('proof package ZIP files', () => {
  it('writes a ZIP that unzip tests clean and extracts byte for byte', () => {
    const folder = tempDir('slipvault-zip-');
    const path = join(folder, 'package.zip');
    const written = writeZip(path, members);
    expect(written.bytes).toBe(readFileSync(path).length);
    const tested = run('unzip', ['-t', path], folder);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toContain('No errors detected');
    expect(run('unzip', ['-q', path, '-d', 'out'], folder).status).toBe(0);
    for (const [name, data] of members) expect(readFileSync(join(folder, 'out', name)).equals(data), name).toBe(true);
    expect(run('unzip', ['-l', path], folder).stdout).toMatch(/2026-03-05 10:20/);
  });

  it('reads back what it wrote, and what the zip tool wrote stored or deflated', () => {
    const folder = tempDir('slipvault-zip-');
    writeZip(join(folder, 'ours.zip'), members);
    expect(readZip(readFileSync(join(folder, 'ours.zip'))).map((member) => [member.name, member.data])).toEqual([...members]);
    for (const [name, data] of members) {
      writeFileSync(join(folder, name.replaceAll('/', '_')), data);
    }
    const names = [...members.keys()].map((name) => name.replaceAll('/', '_'));
    for (const level of ['-0', '-9']) {
      const zipped = run('zip', ['-q', level, `theirs${level}.zip`, ...names], folder);
      expect(zipped.status, zipped.stderr).toBe(0);
      const read = readZip(readFileSync(join(folder, `theirs${level}.zip`)));
      expect(read.map((member) => [member.name, member.damage])).toEqual(names.map((name) => [name, null]));
      read.forEach((member, index) => expect(member.data!.equals([...members.values()][index]!), member.name).toBe(true));
    }
  });

  it('reports a member whose bytes changed or that claims too much, and refuses a file that is not a ZIP', () => {
    const folder = tempDir('slipvault-zip-');
    const path = join(folder, 'package.zip');
    writeZip(path, members);
    const zip = readFileSync(path);
    const at = zip.indexOf(members.get('manifest.json')!);
    zip[at + 2]! ^= 0x01;
    expect(readZip(zip)[0]).toEqual({
      name: 'manifest.json',
      data: null,
      damage: "manifest.json is damaged: its bytes do not match the ZIP file's CRC-32 for it",
    });
    expect(
      readZip(zip)
        .slice(1)
        .every((member) => member.damage === null),
    ).toBe(true);

    // A deflated member that claims to unpack to 2 GiB is not unpacked.
    const bomb = readFileSync(path);
    const directory = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt16LE(8, directory + 10);
    bomb.writeUInt32LE(0x80000000, directory + 24);
    expect(readZip(bomb)[0]!.damage).toBe('manifest.json would inflate to 2147483648 bytes, more than this reader unpacks');

    expect(() => readZip(Buffer.from('PK'))).toThrow(/not a readable ZIP file: it is too short/);
    expect(() => readZip(zip.subarray(0, zip.length - 10))).toThrow(/no end-of-central-directory record/);
    const twice = join(folder, 'twice.zip');
    writeZip(twice, [
      ['a.txt', Buffer.from('one')],
      ['a.txt', Buffer.from('two')],
    ]);
    expect(() => readZip(readFileSync(twice))).toThrow(
      expect.objectContaining({ code: 'CORRUPT_FILE', message: expect.stringContaining('two members named a.txt') }),
    );
  });

  it('never writes over an existing file', () => {
    const path = join(tempDir('slipvault-zip-'), 'taken.zip');
    writeFileSync(path, 'mine');
    expect(() => new ZipFileWriter(path)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(path, 'utf8')).toBe('mine');
  });
});
