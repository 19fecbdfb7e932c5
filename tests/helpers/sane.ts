/** SANE's `test` backend (sane-utils), enabled through a SANE config folder of our own. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './fixtures';

export function hasScanimage(): boolean {
  try {
    execFileSync('scanimage', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A new SANE config folder offering only the `test` backend with `devices` gray scanners (test:0 …) that scan `picture`. */
export function saneTestConfig(devices: number, picture: 'Grid' | 'Solid white' = 'Grid'): string {
  const sane = join(tempDir('slipvault-sane-'), 'sane.d');
  mkdirSync(sane);
  writeFileSync(join(sane, 'dll.conf'), 'test\n');
  writeFileSync(join(sane, 'test.conf'), `number_of_devices ${devices}\nmode Gray\ntest-picture "${picture}"\n`);
  return sane;
}
