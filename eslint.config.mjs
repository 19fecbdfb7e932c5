// ESLint flat config. Besides typescript-eslint's recommended rules it enforces the layering of
// docs/architecture.md (VS Code style): each layer may only import what sits below it.
//
//   src/shared    plain TypeScript for both sides: no electron, no Node, no DOM, no React, no main/renderer
//   src/main/core, src/main/cli, src/main/host   plain Node: no electron, no shell, no renderer
//   src/main/shell  the only place that may import electron
//   src/renderer  browser only: no electron, no Node, nothing from src/main
//
// tests/unit/layering.test.ts proves these rules fire.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Every Node builtin as a bare name (fs, fs/promises, path, …); `node:*` is covered by a pattern. */
const nodeBuiltins = [...new Set(builtinModules.filter((name) => !name.startsWith('node:')))].sort();

const restrictElectron = (message) => ({
  paths: [{ name: 'electron', message }],
  patterns: [{ group: ['electron/*'], message }],
});

const restrictNode = (message) => ({
  paths: nodeBuiltins.map((name) => ({ name, message })),
  patterns: [{ group: ['node:*'], message }],
});

/** Merge several { paths, patterns } option objects into one no-restricted-imports config. */
const restrictedImports = (...parts) => [
  'error',
  {
    paths: parts.flatMap((part) => part.paths ?? []),
    patterns: parts.flatMap((part) => part.patterns ?? []),
  },
];

/** require('electron') / import('electron') are not ImportDeclarations; catch them too. */
const restrictElectronSyntax = (message) => [
  'error',
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\u002F|$)/]",
    message,
  },
  { selector: 'ImportExpression[source.value=/^electron(\\u002F|$)/]', message },
];

// --- messages --------------------------------------------------------------------------------------------
const SHARED_ELECTRON = 'Layering: src/shared is plain TypeScript used by both main and renderer; it must not import electron (only src/main/shell may).';
const SHARED_NODE = 'Layering: src/shared runs in the renderer too; it must not import Node builtins. Put Node code in src/main/core.';
const SHARED_REACT = 'Layering: src/shared holds the contract, model and errors only; React belongs in src/renderer.';
const SHARED_UPWARD = 'Layering: src/shared is the bottom layer; it must not import from src/main or src/renderer.';
const SHARED_GLOBAL = 'Layering: src/shared runs in both Node and the browser; it must not use DOM or Node globals. Pass what you need in as arguments.';

const MAIN_ELECTRON =
  'Layering: src/main/core, cli and host are plain Node (tests and the CLI run them without Electron); only src/main/shell may import electron.';
const MAIN_SHELL = 'Layering: src/main/core, cli and host must not depend on src/main/shell (the Electron-only layer).';
const MAIN_RENDERER = 'Layering: src/main never imports the UI; talk to it through src/shared/contract.ts and events.ts.';
const CORE_UPWARD = 'Layering: src/main/core is the engine; cli and host are built on top of it, never the other way round.';
const SHELL_RENDERER = 'Layering: src/main/shell loads the built renderer; it must not import src/renderer source.';
const SHELL_OWNER =
  'Layering: the desktop app never opens the archive in its main process; the owner process does (src/main/owner/launcher.ts). Reach it through an owner connection.';

const RENDERER_ELECTRON = 'Layering: src/renderer is sandboxed; it must not import electron. Use window.slipvault (the contract client).';
const RENDERER_NODE = 'Layering: src/renderer runs in a sandboxed browser page; it must not import Node builtins.';
const RENDERER_MAIN = 'Layering: src/renderer must not import from src/main; call the core through window.slipvault and src/shared/contract.ts.';

// Globals that exist only in a browser or only in Node: forbidden in src/shared.
const SHARED_FORBIDDEN_GLOBALS = [
  'window',
  'self',
  'document',
  'navigator',
  'location',
  'alert',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'process',
  'Buffer',
  'global',
  '__dirname',
  '__filename',
  'require',
  'module',
  'exports',
  'setImmediate',
].map((name) => ({ name, message: SHARED_GLOBAL }));

export default defineConfig(
  globalIgnores(['dist/', 'release/', 'node_modules/', 'bench/results/', 'coverage/', 'test-results/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  // --- environments --------------------------------------------------------------------------------------
  {
    name: 'slipvault/node',
    files: ['src/main/**', 'tests/**', 'scripts/**', 'bench/**', 'bin/**', '*.{js,mjs,cjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'slipvault/renderer-env',
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: 'slipvault/commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'slipvault/general',
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },

  // --- promises: type-aware -----------------------------------------------------------------------------
  // A promise nobody awaits loses its rejection (an unhandled rejection kills the owner process) and an
  // async callback where a void one is expected runs unordered; both need the type checker to see.
  {
    name: 'slipvault/promises',
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.{ts,mts}', 'bench/**/*.{ts,mts}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },

  // --- layering ------------------------------------------------------------------------------------------
  {
    name: 'slipvault/layering/shared',
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': restrictedImports(restrictElectron(SHARED_ELECTRON), restrictNode(SHARED_NODE), {
        paths: [
          { name: 'react', message: SHARED_REACT },
          { name: 'react-dom', message: SHARED_REACT },
        ],
        patterns: [
          { group: ['react/*', 'react-dom/*'], message: SHARED_REACT },
          { group: ['**/main/**', '**/renderer/**'], message: SHARED_UPWARD },
        ],
      }),
      'no-restricted-globals': ['error', ...SHARED_FORBIDDEN_GLOBALS],
      'no-restricted-syntax': restrictElectronSyntax(SHARED_ELECTRON),
    },
  },
  {
    name: 'slipvault/layering/main-plain-node',
    files: ['src/main/core/**', 'src/main/cli/**', 'src/main/host/**'],
    rules: {
      'no-restricted-imports': restrictedImports(restrictElectron(MAIN_ELECTRON), {
        patterns: [
          { group: ['**/shell/**'], message: MAIN_SHELL },
          { group: ['**/renderer/**'], message: MAIN_RENDERER },
        ],
      }),
      'no-restricted-syntax': restrictElectronSyntax(MAIN_ELECTRON),
    },
  },
  {
    // Same as above, plus: the core never reaches up into the CLI or the transports.
    name: 'slipvault/layering/core',
    files: ['src/main/core/**'],
    rules: {
      'no-restricted-imports': restrictedImports(restrictElectron(MAIN_ELECTRON), {
        patterns: [
          { group: ['**/shell/**'], message: MAIN_SHELL },
          { group: ['**/renderer/**'], message: MAIN_RENDERER },
          { group: ['**/cli/**', '**/host/**'], message: CORE_UPWARD },
        ],
      }),
    },
  },
  {
    name: 'slipvault/layering/shell',
    files: ['src/main/shell/**'],
    rules: {
      'no-restricted-imports': restrictedImports({
        patterns: [
          { group: ['**/renderer/**'], message: SHELL_RENDERER },
          { group: ['**/core/archive', '**/host/session', '**/owner/server', '**/owner/link'], message: SHELL_OWNER },
        ],
      }),
    },
  },
  {
    name: 'slipvault/layering/renderer',
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': restrictedImports(restrictElectron(RENDERER_ELECTRON), restrictNode(RENDERER_NODE), {
        patterns: [{ group: ['**/main/**'], message: RENDERER_MAIN }],
      }),
      'no-restricted-syntax': restrictElectronSyntax(RENDERER_ELECTRON),
    },
  },
);
