/**
 * A pool of tesseract.js workers (each a worker thread running the wasm engine), created on first use
 * and sized to the machine's cores. Language data and the engine load from the npm packages only.
 * Under the engine choice that sends Chinese pages to PP-OCR it also holds that engine's pool
 * (paddle-pool.ts, engine-choice.ts), started only once a page goes there.
 */
import { availableParallelism } from 'node:os';
import type Tesseract from 'tesseract.js';
import type { OcrWord, PageText } from '../../../shared/model';
import type { OcrEngineChoice, OcrModel } from '../../../shared/settings';
import { joinCjkSpacing } from './cjk-text';
import { meanConfidence, toTenth } from './confidence';
import { toPgm, type GrayPage } from './gray-page';
import { pageTextOf, type LinedPage, type ReadLine } from './reading-order';
import { DEFAULT_LANGUAGES, languageDataFolder, parseLanguages } from './language-data';
import { DEFAULT_PAGE_SEGMENTATION } from './segmentation';
import { usesPaddle } from './engine-choice';
import { PaddlePool } from './paddle-pool';

export interface OcrPoolOptions {
  /** Tesseract language codes joined by +; default chi_sim+eng. */
  languages?: string;
  /** Worker count; default one per core. */
  workers?: number;
  /** Tesseract page segmentation mode; 4 (one column of lines of varying size) suits slips and receipts. */
  pageSegmentation?: number;
  /** Which engine reads pages (engine-choice.ts); default auto. */
  engine?: OcrEngineChoice;
  /** Which models read the pages; default 'accurate'. */
  model?: OcrModel;
}

/** tesseract.js, loaded when the first OCR worker starts: a command that reads no page (a backup) need not load it. */
async function loadTesseract(): Promise<typeof Tesseract> {
  return (await import('tesseract.js')).default;
}

async function recogniseLines(worker: Tesseract.Worker, image: GrayPage): Promise<Tesseract.Line[]> {
  const { data } = await worker.recognize(toPgm(image), {}, { blocks: true });
  return (data.blocks ?? []).flatMap((block) => block.paragraphs).flatMap((paragraph) => paragraph.lines);
}

function wordOf(word: Tesseract.Word): OcrWord {
  return { text: word.text, bbox: [word.bbox.x0, word.bbox.y0, word.bbox.x1, word.bbox.y1], confidence: toTenth(word.confidence) };
}

const hasText = (word: Tesseract.Word) => word.text.trim() !== '';

function wordsOf(lines: Tesseract.Line[]): OcrWord[] {
  return lines
    .flatMap((line) => line.words)
    .filter(hasText)
    .map(wordOf);
}

/** The page's words, and its lines each with the indices of its words among them. */
function linedPage(lines: Tesseract.Line[]): { words: OcrWord[]; lines: ReadLine[] } {
  const words: OcrWord[] = [];
  const read = lines.map((line) => {
    const first = words.length;
    words.push(...line.words.filter(hasText).map(wordOf));
    return {
      text: line.text,
      bbox: [line.bbox.x0, line.bbox.y0, line.bbox.x1, line.bbox.y1] as ReadLine['bbox'],
      baseline: [line.baseline.x0, line.baseline.y0, line.baseline.x1, line.baseline.y1] as ReadLine['baseline'],
      words: Array.from({ length: words.length - first }, (_, index) => first + index),
    };
  });
  return { words, lines: read };
}

export class OcrPool {
  readonly languages: string[];
  readonly size: number;
  readonly engine: OcrEngineChoice;
  readonly model: OcrModel;
  private readonly pageSegmentation: number;
  private paddlePool: PaddlePool | undefined;
  private readonly started: Promise<Tesseract.Worker>[] = [];
  private readonly idle: Tesseract.Worker[] = [];
  private readonly waiting: ((worker: Tesseract.Worker) => void)[] = [];
  private terminated = false;

  constructor(options: OcrPoolOptions = {}) {
    this.languages = parseLanguages(options.languages ?? DEFAULT_LANGUAGES);
    this.size = Math.max(1, options.workers ?? availableParallelism());
    this.pageSegmentation = options.pageSegmentation ?? DEFAULT_PAGE_SEGMENTATION;
    this.engine = options.engine ?? 'auto';
    this.model = options.model ?? 'accurate';
  }

  /** PP-OCR's pool when pages may go to it under the engine choice, started on first use; else null. */
  paddle(): PaddlePool | null {
    if (!usesPaddle(this.engine, this.languages)) return null;
    if (this.terminated) throw new Error('the OCR pool has been shut down');
    this.paddlePool ??= new PaddlePool({ workers: this.size });
    return this.paddlePool;
  }

  private async startWorker(): Promise<Tesseract.Worker> {
    const { createWorker, OEM } = await loadTesseract();
    const worker = await createWorker(
      this.languages.join('+'),
      OEM.LSTM_ONLY,
      { langPath: languageDataFolder(this.languages, this.model), cacheMethod: 'none', gzip: true },
      // chi_sim's data asks to also load chi_sim_vert (vertical text), which the npm package does not
      // ship: tesseract printed "Failed loading language" on every start. Slips are written horizontally.
      'tessedit_load_sublangs ',
    );
    await worker.setParameters({
      tessedit_pageseg_mode: String(this.pageSegmentation) as Tesseract.PSM,
      preserve_interword_spaces: '1',
      // Pages arrive as PGM without a resolution. Left to estimate it from the text, tesseract guessed
      // up to 1400 DPI on noisy receipts and discarded real text as specks; 300 (what scanners use and
      // what we downscale huge images towards) lowered the receipts' error rate (bench/results/ocr-history.md).
      user_defined_dpi: '300',
      // Tesseract's own diagnostics ("Detected 58 diacritics", "Image too small to scale!!") went to the
      // process's stderr, in the middle of a command's output; they are for tesseract's developers.
      debug_file: '/dev/null',
    });
    return worker;
  }

  private async acquire(): Promise<Tesseract.Worker> {
    if (this.terminated) throw new Error('the OCR pool has been shut down');
    const free = this.idle.pop();
    if (free) return free;
    if (this.started.length < this.size) {
      const starting = this.startWorker();
      this.started.push(starting);
      return starting;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Tesseract.Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  /** Recognises one page. */
  async recognise(image: GrayPage): Promise<LinedPage> {
    const worker = await this.acquire();
    try {
      const { words, lines } = linedPage(await recogniseLines(worker, image));
      return { text: pageTextOf(lines), words, lines, confidence: toTenth(meanConfidence(words)), source: 'ocr' };
    } finally {
      this.release(worker);
    }
  }

  async terminate(): Promise<void> {
    this.terminated = true;
    await this.paddlePool?.terminate();
    const workers = await Promise.allSettled(this.started);
    const running = workers.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    await Promise.allSettled(running.map((worker) => worker.terminate()));
  }

  /**
   * Reads one cropped text line (single-line layout, psm 7) on a pooled worker, then puts the worker
   * back in the page layout: the field re-read (field-reread.ts) looks again at a date or total line.
   */
  async recogniseLine(image: GrayPage): Promise<PageText> {
    const worker = await this.acquire();
    try {
      await worker.setParameters({ tessedit_pageseg_mode: (await loadTesseract()).PSM.SINGLE_LINE });
      const words = wordsOf(await recogniseLines(worker, image));
      return { text: joinCjkSpacing(words.map((word) => word.text).join(' ')).trim(), words, confidence: toTenth(meanConfidence(words)), source: 'ocr' };
    } finally {
      try {
        await worker.setParameters({ tessedit_pageseg_mode: String(this.pageSegmentation) as Tesseract.PSM });
      } finally {
        this.release(worker);
      }
    }
  }
}
