/** Turns file and byte counts into `jobs:progress` payloads, at most every 100 ms, with an ETA. */
import { randomUUID } from 'node:crypto';
import type { JobPhase, JobProgress } from '../../../shared/events';

export type ProgressSink = (progress: JobProgress) => void;

const INTERVAL_MS = 100;

export class ProgressMeter {
  private readonly jobId = randomUUID();
  private readonly started = Date.now();
  private lastEmit = 0;
  private done = 0;
  private bytesDone = 0;

  constructor(
    private readonly phase: JobPhase,
    private total: number,
    private readonly bytesTotal: number,
    private readonly sink: ProgressSink | undefined,
  ) {}

  /** For totals learnt on the way (a set's file count is inside its encrypted manifest). */
  grow(files: number): void {
    this.total += files;
  }

  bytes(count: number): void {
    this.bytesDone += count;
    this.maybeEmit(false);
  }

  fileDone(bytes: number): void {
    this.done += 1;
    this.bytes(bytes);
  }

  finish(): void {
    this.maybeEmit(true);
  }

  private maybeEmit(force: boolean): void {
    if (!this.sink) return;
    const now = Date.now();
    if (!force && now - this.lastEmit < INTERVAL_MS) return;
    this.lastEmit = now;
    const elapsed = now - this.started;
    const fraction = this.bytesTotal > 0 ? this.bytesDone / this.bytesTotal : this.done / Math.max(1, this.total);
    const progress: JobProgress = {
      jobId: this.jobId,
      phase: this.phase,
      done: this.done,
      total: this.total,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
    };
    if (fraction > 0) progress.etaMs = Math.max(0, Math.round((elapsed / fraction) * (1 - fraction)));
    this.sink(progress);
  }
}
