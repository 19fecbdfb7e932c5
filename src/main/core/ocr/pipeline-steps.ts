/**
 * The steps a page goes through besides the engine's one reading, so bench:ocr can time each and read
 * the benchmark sets with and without the optional ones (bench/results/ocr-history.md says which pay).
 * The product runs every step and times none.
 */

/** Steps that may be left out: each is a guess that a page reads better for it, at some cost. */
export const OPTIONAL_STEPS = [
  /** The skew and sideways estimate: tilted pages straightened, sideways pages read turned first. */
  'orientation',
  /** Pages read below LOW_CONFIDENCE read again turned 180°/90°/270°. */
  'turn-retry',
  /** Date and total rows read poorly read again as single enlarged lines. */
  'field-reread',
] as const;
export type OptionalStep = (typeof OPTIONAL_STEPS)[number];

/**
 * Everything timed per page: preparing the pixels, the optional steps, straightening, the first reading and
 * leaving a signature's strokes out of it (signature-strokes.ts).
 */
export type TimedStep = 'prepare' | 'straighten' | 'read' | 'signature-strokes' | OptionalStep;

export interface PipelineOptions {
  /** Optional steps to leave out. */
  skip?: ReadonlySet<OptionalStep>;
  /** Told how long each step took on a page, in milliseconds (wall clock: a reading includes waiting for a worker). */
  onStep?: (step: TimedStep, milliseconds: number) => void;
}

export const runs = (options: PipelineOptions, step: OptionalStep) => !options.skip?.has(step);

/** Runs `work`, telling `options.onStep` how long it took. */
export async function timed<T>(options: PipelineOptions, step: TimedStep, work: () => Promise<T>): Promise<T> {
  if (!options.onStep) return work();
  const started = process.hrtime.bigint();
  try {
    return await work();
  } finally {
    options.onStep(step, Number(process.hrtime.bigint() - started) / 1e6);
  }
}
