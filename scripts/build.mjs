#!/usr/bin/env node
// Builds every runtime artefact into dist/ with esbuild:
//
//   dist/cli/slipvault.cjs    the `slipvault` CLI (Node 20+, dependencies stay in node_modules)
//   dist/main/shell.cjs       the Electron main process (electron + dependencies external)
//   dist/main/preload.cjs     the sandboxed preload: everything bundled except `electron`
//   dist/main/owner.cjs       the owner process the app starts for its archive (src/main/owner/launcher.ts)
//   dist/workers/backup-worker.cjs  the backup/verify/restore worker thread
//   dist/preview/preview.cjs  the browser preview host (`npm run preview -- --archive DIR`)
//   dist/workers/reindex-worker.cjs  the search-index rebuild's worker thread
//   dist/workers/paddle-worker.cjs   a PP-OCR reading thread (src/main/core/ocr/paddle-pool.ts)
//   dist/renderer/            index.html + app.js + app.css (+ pdfjs worker, cmaps, fonts, wasm)
//
// Usage: node scripts/build.mjs [--production]   (NODE_ENV=production works too: minified renderer)
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';
const mode = production ? 'production' : 'development';
const r = (...parts) => path.join(root, ...parts);

// Electron 45 ships Node 22 and Chromium 140.
const ELECTRON_NODE = 'node22';
const ELECTRON_CHROME = 'chrome140';

// In a CommonJS bundle `import.meta` is empty; give `import.meta.url` / `.dirname` / `.filename` the
// bundle's own location so code written as ESM (vitest runs the sources as ESM) keeps working.
// Note: that is the location of the *bundle* (dist/...), not of the original source file.
const importMetaShim = {
  banner: {
    js: 'var __slipvault_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
  },
  define: {
    'import.meta.url': '__slipvault_import_meta_url',
    'import.meta.dirname': '__dirname',
    'import.meta.filename': '__filename',
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: true,
  logLevel: 'silent', // errors and warnings are printed below, once
  metafile: true,
  legalComments: 'none',
};

/**
 * Pure-JS packages every CLI command loads at start-up, bundled into the CLI instead of left external: read as
 * one file rather than ~320 found through node_modules one by one (with a cold page cache, each a disk read).
 * `backup-signer` with the cache dropped: 0.90 -> 0.70 s of CPU, 1.7 -> 1.0 s (bench/results/backup-history.md).
 * No external package the CLI loads depends on either, so there is one copy of each at runtime.
 */
const BUNDLED_IN_CLI = ['drizzle-orm', 'zod', 'commander', 'pino', 're2js', 'diff', 'csv-parse'];

/**
 * Like `packages: 'external'`, except for the packages named — and what they import in turn (pino's ten small
 * packages), which only they reach.
 */
function externalPackagesExcept(bundled) {
  return {
    name: 'external-packages-except',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return undefined;
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        const fromBundledPackage = args.importer.includes(`${path.sep}node_modules${path.sep}`);
        return bundled.includes(name) || fromBundledPackage ? undefined : { path: args.path, external: true };
      });
    },
  };
}

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  // Node maps stack frames from the mappings alone; the sources' text is most of a map, read and parsed at every
  // start (bench/results/backup-history.md).
  sourcesContent: false,
};

/** @type {{ name: string, entry: string, options: import('esbuild').BuildOptions, after?: () => Promise<string[]> }[]} */
const targets = [
  {
    name: 'cli',
    entry: 'src/main/cli/main.ts',
    options: {
      ...nodeCommon,
      ...importMetaShim,
      target: 'node20',
      plugins: [externalPackagesExcept(BUNDLED_IN_CLI)],
      outfile: r('dist/cli/slipvault.cjs'),
    },
  },
  {
    name: 'shell',
    entry: 'src/main/shell/main.ts',
    options: {
      ...nodeCommon,
      ...importMetaShim,
      target: ELECTRON_NODE,
      packages: 'external',
      external: ['electron'],
      outfile: r('dist/main/shell.cjs'),
    },
  },
  {
    // The app's owner process: a Node child in tests and Node hosts, an Electron utility process in the app.
    name: 'owner',
    entry: 'src/main/owner/owner-main.ts',
    options: {
      ...nodeCommon,
      ...importMetaShim,
      target: ELECTRON_NODE,
      packages: 'external',
      outfile: r('dist/main/owner.cjs'),
    },
  },
  {
    // Backup, verify and restore run on a worker thread (src/main/core/backup/jobs.ts finds this file).
    name: 'workers',
    entry: 'src/main/core/backup/worker.ts',
    options: {
      ...nodeCommon,
      ...importMetaShim,
      target: 'node20',
      packages: 'external',
      outfile: r('dist/workers/backup-worker.cjs'),
    },
  },
  {
    name: 'preview',
    entry: 'src/main/host/preview-main.ts',
    options: {
      ...nodeCommon,
      ...importMetaShim,
      target: 'node20',
      packages: 'external',
      outfile: r('dist/preview/preview.cjs'),
    },
  },
  {
    // The search-index rebuild runs on a worker thread of the CLI, the shell or the preview host.
    name: 'reindex-worker',
    entry: 'src/main/core/search/reindex-worker.ts',
    options: {
      ...nodeCommon,
      ...importMetaShim,
      target: 'node20',
      packages: 'external',
      outfile: r('dist/workers/reindex-worker.cjs'),
    },
  },
  {
    // PP-OCR reads pages on worker threads; its ESM-only packages stay external and load with import().
    name: 'paddle-worker',
    entry: 'src/main/core/ocr/paddle-worker.ts',
    options: {
      ...nodeCommon,
      ...importMetaShim,
      target: 'node20',
      packages: 'external',
      outfile: r('dist/workers/paddle-worker.cjs'),
    },
  },
  {
    // A sandboxed preload can require('electron') (and a few polyfilled modules) and nothing else:
    // bundle zod & co. into it, and no import.meta shim (it would require node:url).
    name: 'preload',
    entry: 'src/main/shell/preload.ts',
    options: {
      ...nodeCommon,
      target: [ELECTRON_NODE, ELECTRON_CHROME],
      minify: production,
      external: ['electron'],
      outfile: r('dist/main/preload.cjs'),
    },
  },
  {
    name: 'renderer',
    entry: 'src/renderer/main.tsx',
    options: {
      ...common,
      platform: 'browser',
      format: 'esm',
      target: ELECTRON_CHROME,
      jsx: 'automatic',
      minify: production,
      sourcemap: !production,
      define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
      loader: {
        '.png': 'file',
        '.jpg': 'file',
        '.svg': 'file',
        '.gif': 'file',
        '.webp': 'file',
        '.woff': 'file',
        '.woff2': 'file',
        '.ttf': 'file',
        '.otf': 'file',
      },
      assetNames: 'assets/[name]-[hash]',
      // app.js, plus app.css from every CSS file the UI imports.
      outfile: r('dist/renderer/app.js'),
    },
    after: async () => {
      const out = [];
      await cp(r('src/renderer/index.html'), r('dist/renderer/index.html'));
      out.push('dist/renderer/index.html');
      // index.html always links app.css; keep it valid even before the UI imports any CSS.
      if (!existsSync(r('dist/renderer/app.css'))) {
        await writeFile(r('dist/renderer/app.css'), '/* no styles imported yet */\n');
        out.push('dist/renderer/app.css');
      }
      // pdfjs-dist must never reach for a CDN (docs/architecture.md, "Offline always"): ship its worker and data next to the UI.
      const pdfjs = path.dirname(require.resolve('pdfjs-dist/package.json'));
      await mkdir(r('dist/renderer/pdfjs'), { recursive: true });
      await cp(path.join(pdfjs, 'build/pdf.worker.min.mjs'), r('dist/renderer/pdfjs/pdf.worker.min.mjs'));
      for (const dir of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
        if (existsSync(path.join(pdfjs, dir))) {
          await cp(path.join(pdfjs, dir), r('dist/renderer/pdfjs', dir), { recursive: true });
        }
      }
      out.push('dist/renderer/pdfjs/ (pdf.worker.min.mjs, cmaps, standard_fonts, wasm, iccs)');
      return out;
    },
  },
];

function formatMessages(kind, messages) {
  return esbuild.formatMessagesSync(messages, { kind, color: process.stderr.isTTY, terminalWidth: 100 }).join('');
}

async function size(file) {
  const bytes = (await stat(file)).size;
  return bytes > 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

async function buildTarget(target) {
  if (!existsSync(r(target.entry))) {
    throw new Error(`${target.name}: entry ${target.entry} does not exist`);
  }
  let result;
  try {
    result = await esbuild.build({ ...target.options, entryPoints: [r(target.entry)] });
  } catch (error) {
    if (error && Array.isArray(error.errors)) {
      process.stderr.write(formatMessages('error', error.errors));
      if (error.warnings?.length) process.stderr.write(formatMessages('warning', error.warnings));
      throw new Error(`${target.name}: esbuild failed on ${target.entry} (${error.errors.length} error(s))`, {
        cause: error,
      });
    }
    throw error;
  }
  if (result.warnings.length) process.stderr.write(formatMessages('warning', result.warnings));
  const lines = [];
  for (const file of Object.keys(result.metafile.outputs).sort()) {
    if (file.endsWith('.map')) continue;
    lines.push(`  ${target.name.padEnd(9)} ${file}  (${await size(r(file))})`);
  }
  for (const extra of (await target.after?.()) ?? []) lines.push(`  ${target.name.padEnd(9)} ${extra}`);
  return lines;
}

const started = Date.now();
await rm(r('dist'), { recursive: true, force: true });
const results = await Promise.allSettled(targets.map(buildTarget));
const failures = results.filter((result) => result.status === 'rejected');

console.log(`SlipVault build (${mode}):`);
for (const result of results) {
  if (result.status === 'fulfilled') for (const line of result.value) console.log(line);
}
if (failures.length) {
  for (const failure of failures) console.error(`build failed: ${failure.reason?.message ?? failure.reason}`);
  process.exit(1);
}
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
