/**
 * Worker-thread entry (bundled to dist/workers/paddle-worker.cjs): loads PP-OCR's models once, then reads
 * the pages the pool sends it, one at a time.
 */
import { parentPort } from 'node:worker_threads';
import { loadPaddleModels } from './paddle-models';
import { readPaddleLines } from './paddle-read';
import type { PaddleReply, PaddleRequest } from './paddle-pool';

const models = loadPaddleModels();

parentPort!.on('message', (request: PaddleRequest) => {
  const reply = (message: PaddleReply) => parentPort!.postMessage(message);
  models
    .then((loaded) =>
      readPaddleLines(loaded, {
        ...request.page,
        pixels: Buffer.from(request.page.pixels.buffer, request.page.pixels.byteOffset, request.page.pixels.byteLength),
      }),
    )
    .then(
      (lines) => reply({ lines }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
});
