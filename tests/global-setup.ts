import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { startSharedPgCluster } from './helpers/shared-pg-cluster';

/**
 * Integration tests spawn dist/cli/slipvault.cjs: build it from the current sources first. The run's shared
 * PostgreSQL cluster starts meanwhile (it waits on its own processes, not on this one), so it adds no wall time.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [built, cluster] = await Promise.allSettled([
    promisify(execFile)(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs')], { maxBuffer: 64 * 1024 * 1024 }),
    startSharedPgCluster(),
  ]);
  // startSharedPgCluster hands a failure on instead of throwing.
  if (cluster.status !== 'fulfilled') throw cluster.reason;
  if (built.status === 'rejected') {
    await cluster.value.stop();
    throw built.reason;
  }
  project.provide('sharedPgCluster', cluster.value.provided);
  return () => cluster.value.stop();
}
