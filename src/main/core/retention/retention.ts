/** Retention, holds and disposal over one archive (docs/retention.md): the handlers' single entry point. */
import type { Archive } from '../archive';
import { Disposals } from './disposal';
import { extendRetention } from './extend';
import { Holds } from './holds';
import { RetentionStates, type DocumentRetention } from './retention-state';
import { RetentionSchedules } from './schedules';

export class Retention {
  readonly schedules: RetentionSchedules;
  readonly holds: Holds;
  readonly states: RetentionStates;
  readonly disposals: Disposals;

  /** `today`: the archive's clock as a date, the latest day a due list or a disposal may be decided on. */
  constructor(
    private readonly archive: Archive,
    readonly today: () => string,
  ) {
    this.schedules = new RetentionSchedules(archive);
    this.holds = new Holds(archive);
    this.states = new RetentionStates(archive, this.schedules, this.holds);
    this.disposals = new Disposals(archive, this.states, today);
  }

  extend(ref: string | number, until: string, reason: string): DocumentRetention {
    extendRetention(this.archive, this.states, ref, until, reason);
    return this.states.of(ref);
  }
}
