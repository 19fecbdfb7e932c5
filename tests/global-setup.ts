import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Integration tests spawn dist/cli/slipvault.cjs: build it from the current sources first. */
export default function setup(): void {
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs')], { stdio: 'pipe' });
}
