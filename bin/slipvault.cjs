#!/usr/bin/env node
'use strict';
// Launcher for the `slipvault` CLI: the real program is the esbuild bundle in dist/cli.
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'cli', 'slipvault.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('SlipVault is not built yet: run `npm run build` first.\n');
  process.exit(1);
}
if (typeof process.setSourceMapsEnabled === 'function') process.setSourceMapsEnabled(true);
require(bundle);
