/**
 * The package config, checked without packaging (Electron's binary cannot be downloaded here). The files
 * the app loads at runtime are derived from the built dist/ bundles and the installed packages, then put
 * through electron-builder's own code: its config YAML parser, its FileMatcher for `files` and `asarUnpack`
 * (minimatch with dot:true, implied `/**\/*` for plain folder names, ordered negations) and its
 * NodeModuleCopyHelper, which decides which files of a dependency are copied and gives each the path it
 * has inside the app (node_modules/<name>/…) — the path asarUnpack patterns are matched against, whatever
 * the package manager's layout on disk. after-pack.cjs is run for real on a stand-in binary.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/main/core/db/migrations.generated';
import { languageDataFile, languageDataFolder } from '../../src/main/core/ocr/language-data';
import { paddleModelFiles } from '../../src/main/core/ocr/paddle-models';
import { PDFJS_DATA_FOLDERS, pdfjsDataFolder } from '../../src/main/core/pdf/pdfjs';
import { unpackedPath, WORKER_SCRIPTS, workerScriptPath, type WorkerScript } from '../../src/main/core/runtime-paths';
import { installedLanguages } from '../../src/main/core/settings/installed-languages';

const root = join(__dirname, '..', '..');
const requireFromRoot = createRequire(join(root, 'package.json'));
/** electron-builder's internals, loaded from where electron-builder itself loads them. */
const builderRequire = createRequire(requireFromRoot.resolve('app-builder-lib/package.json'));

type Filter = (file: string, stat: Stats) => boolean;
interface FileMatcherLike {
  createFilter(): Filter;
  patterns: string[];
}
interface FileMatcherModule {
  getMainFileMatchers(...args: unknown[]): FileMatcherLike[];
  getFileMatchers(config: unknown, name: string, destination: string, options: unknown): FileMatcherLike[] | null;
  getNodeModuleFileMatcher(...args: unknown[]): FileMatcherLike;
  FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns?: string[]) => FileMatcherLike & { isEmpty(): boolean };
  excludedExts: string;
}
interface CopyHelper {
  collectNodeModules(module: { dir: string; name: string }, excludedExts: string[], destination: string): Promise<string[]>;
  metadata: Map<string, Stats & { moduleFullFilePath?: string }>;
}

const fileMatcher = builderRequire('./out/fileMatcher.js') as FileMatcherModule;
const { NodeModuleCopyHelper } = builderRequire('./out/util/NodeModuleCopyHelper.js') as {
  NodeModuleCopyHelper: new (matcher: unknown, packager: unknown) => CopyHelper;
};
const yaml = builderRequire('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  asar: boolean;
  afterPack: string;
  directories: { output: string; buildResources: string };
  win: object;
  mac: object;
  linux: object;
}
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

const identity = (value: string) => value;
const APP_DESTINATION = join(tmpdir(), 'slipvault-packaging', 'resources', 'app');
const packagerInfo = {
  projectDir: root,
  buildResourcesDir: config.directories.buildResources,
  config,
  isPrepackedAppAsar: false,
  debugLogger: { isEnabled: false },
  appInfo: { type: 'commonjs' },
  getWorkspaceRoot: () => Promise.resolve(root),
};

/** What electron-builder copies of the app itself (not node_modules) on one platform. */
function appFilesFilter(platformOptions: object): Filter {
  const matchers = fileMatcher.getMainFileMatchers(
    root,
    APP_DESTINATION,
    identity,
    platformOptions,
    { info: packagerInfo },
    join(root, config.directories.output),
    false,
  );
  expect(matchers).toHaveLength(1);
  return matchers[0]!.createFilter();
}

function asarUnpackFilter(platformOptions: object): Filter {
  const matchers = fileMatcher.getFileMatchers(config, 'asarUnpack', APP_DESTINATION, {
    macroExpander: identity,
    customBuildOptions: platformOptions,
    globalOutDir: join(root, config.directories.output),
    defaultSrc: root,
  });
  expect(matchers).not.toBeNull();
  return matchers![0]!.createFilter();
}

const PLATFORMS = { win: config.win, mac: config.mac, linux: config.linux };

/** A file of the app as electron-builder sees it: absolute source path, stat with the in-app path. */
interface AppFile {
  source: string;
  inApp: string;
  stat: Stats & { moduleFullFilePath?: string };
}

/** Every file electron-builder would copy from one installed package, keyed by source path. */
async function collectPackage(dir: string, inApp: string): Promise<Map<string, AppFile>> {
  const moduleMatcher = fileMatcher.getNodeModuleFileMatcher(root, APP_DESTINATION, identity, config.linux, packagerInfo);
  const matcher = new fileMatcher.FileMatcher(dir, join(APP_DESTINATION, inApp), identity, moduleMatcher.patterns);
  const helper = new NodeModuleCopyHelper(matcher, packagerInfo);
  // The exclusions electron-builder applies to node_modules on Linux (getNodeModuleExcludedExts).
  const excludedExts = ['.o', '.obj', ...fileMatcher.excludedExts.split(',').map((ext) => `.${ext}`), '.pdb', '.dll', '.exe'];
  const files = await helper.collectNodeModules({ dir, name: inApp.split('/').slice(1).join('/') }, excludedExts, inApp);
  const result = new Map<string, AppFile>();
  for (const source of files) {
    const stat = helper.metadata.get(source)!;
    result.set(source, { source, inApp: stat.moduleFullFilePath!.split(sep).join('/'), stat });
  }
  return result;
}

// --- what the app loads at runtime, derived from dist/ and the packages -------------------------------------

/** The bundles the packaged app runs: the main process, its preload, every worker thread. */
const RUNTIME_BUNDLES = () => [
  packageJson.main,
  'dist/main/preload.cjs',
  'dist/main/owner.cjs',
  ...readdirSync(join(root, 'dist', 'workers'))
    .filter((name) => name.endsWith('.cjs'))
    .map((name) => `dist/workers/${name}`),
];

const builtins = new Set(builtinModules);
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Bare `require("x")` / `import("x")` of a bundle: the packages it leaves to node_modules. */
function externalsOf(bundle: string): string[] {
  const text = readFileSync(join(root, bundle), 'utf8');
  const specifiers = [...text.matchAll(/\b(?:require|import)\("([^"]+)"\)/g)].map((match) => match[1]!);
  return specifiers.filter((specifier) => !specifier.startsWith('node:') && !specifier.startsWith('.') && !builtins.has(specifier));
}

/** Files the bundles resolve by name to read them by path (`require.resolve("pkg/file")`). */
function resolvedLiteralsOf(bundle: string): string[] {
  const text = readFileSync(join(root, bundle), 'utf8');
  return [...text.matchAll(/\.resolve\("([^"./][^"]*)"\)/g)].map((match) => match[1]!);
}

interface RuntimePackage {
  name: string;
  dir: string;
  inApp: string;
}

/**
 * Node's lookup: node_modules folders from `fromDir` upwards, up to the checkout. Done by hand because
 * require.resolve.paths() gives nothing for names of builtins (the `buffer` package) and package.json
 * may be hidden by "exports".
 */
function installedManifest(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; dir.startsWith(root); dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return manifest;
    if (dir === root) break;
  }
  return undefined;
}

/** The packages the bundles require plus everything they depend on, resolved the way Node does. */
function runtimePackages(roots: string[]): Map<string, RuntimePackage> {
  const found = new Map<string, RuntimePackage>();
  const visit = (name: string, fromDir: string, optional: boolean) => {
    const manifest = installedManifest(name, fromDir);
    if (!manifest) {
      if (optional) return; // an optional dependency for another platform
      throw new Error(`${name} (needed from ${fromDir}) is not installed`);
    }
    const dir = dirname(manifest);
    if (found.has(dir)) return;
    const inApp = relative(root, dir).split(sep).join('/');
    found.set(dir, { name, dir, inApp });
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: object; optionalDependencies?: object };
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dep, dir, true);
  };
  for (const name of roots) visit(name, root, false);
  return found;
}

/** Code and data the OS loader, or something outside Electron's asar-aware fs, must find on disk. */
const NATIVE_BINARY = /\.(node|dylib|dll)$|\.so(\.\d+)*$/;

let workDir: string;
let runtime: Map<string, RuntimePackage>;
let packaged: Map<string, AppFile>;

function packagedFile(source: string): AppFile {
  const file = packaged.get(source);
  expect(file, `${relative(root, source)} is not copied into the app by electron-builder`).toBeDefined();
  return file!;
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'slipvault-packaging-'));
  const roots = new Set(RUNTIME_BUNDLES().flatMap(externalsOf).map(packageOf));
  roots.delete('electron');
  roots.add('tesseract.js-core');
  for (const language of installedLanguages()) roots.add(`@tesseract.js-data/${language}`);
  runtime = runtimePackages([...roots]);
  packaged = new Map();
  for (const pkg of runtime.values()) for (const [source, file] of await collectPackage(pkg.dir, pkg.inApp)) packaged.set(source, file);
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('electron-builder.yml', () => {
  it('packs the app into an asar archive with the installers the issue names', () => {
    expect(config.asar).toBe(true);
    expect(config.win).toEqual({ target: ['nsis'] });
    expect(config.mac).toMatchObject({ target: ['dmg'] });
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config.afterPack).toBe('scripts/after-pack.cjs');
  });

  it('only ships production dependencies that the bundles require', () => {
    for (const bundle of RUNTIME_BUNDLES()) {
      for (const name of new Set(externalsOf(bundle).map(packageOf))) {
        if (name === 'electron') continue; // the runtime itself, never a dependency
        // electron-builder copies dependencies and the optional ones that installed (libpq needs the system's libpq).
        const shipped = Object.keys({ ...packageJson.dependencies, ...packageJson.optionalDependencies });
        expect(shipped, `${bundle} requires ${name}, which electron-builder copies only as a dependency`).toContain(name);
      }
    }
  });

  it.each(Object.entries(PLATFORMS))('copies every built runtime file and nothing else of the checkout (%s)', (_platform, options) => {
    const filter = appFilesFilter(options);
    const file = { isDirectory: () => false, isSymbolicLink: () => false, isFile: () => true } as unknown as Stats;
    const dir = { isDirectory: () => true } as unknown as Stats;
    const renderer = readdirSync(join(root, 'dist', 'renderer'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
    expect(renderer).toContain('dist/renderer/index.html');
    expect(renderer).toContain('dist/renderer/pdfjs/pdf.worker.min.mjs');
    for (const path of ['package.json', ...RUNTIME_BUNDLES(), ...renderer]) {
      expect(filter(join(root, path), file), path).toBe(true);
    }
    expect(filter(join(root, 'dist'), dir)).toBe(true);
    for (const path of [
      'src/main/shell/main.ts',
      'tests/unit/packaging.test.ts',
      'electron-builder.yml',
      'package-lock.json',
      'release/x.AppImage',
      'dist/cli/slipvault.cjs',
      'dist/preview/preview.cjs',
    ]) {
      expect(filter(join(root, path), file), path).toBe(false);
    }
  });

  it('keeps the bundles, and with them the embedded migrations, inside app.asar', () => {
    // The migrations travel as a literal inside the owner process's bundle (no file to find at runtime): evaluate it.
    const owner = readFileSync(join(root, 'dist', 'main', 'owner.cjs'), 'utf8');
    const start = owner.indexOf('var MIGRATIONS = [');
    expect(start).toBeGreaterThan(-1);
    const literal = owner.slice(start + 'var MIGRATIONS = '.length, owner.indexOf('\n];', start) + 3);
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(new Function(`return ${literal}`)()).toEqual(MIGRATIONS);
    for (const unpack of Object.values(PLATFORMS).map(asarUnpackFilter)) {
      for (const bundle of RUNTIME_BUNDLES()) {
        const stat = { isDirectory: () => false } as unknown as Stats;
        // Unpacked, a worker could not require the packages left in the archive (see runtime-paths.ts).
        expect(unpack(join(root, bundle), stat), `${bundle} must stay in app.asar`).toBe(false);
      }
    }
  });

  it('copies every file of the runtime packages that is loaded by path', () => {
    const loaded: string[] = [];
    // The bundles' require.resolve("pkg/file") targets (zxing's wasm, pdfjs-dist's folder, …).
    for (const bundle of RUNTIME_BUNDLES()) for (const specifier of resolvedLiteralsOf(bundle)) loaded.push(requireFromRoot.resolve(specifier));
    expect(loaded.length).toBeGreaterThan(0);
    // pdfjs-dist's cmaps, standard fonts and decoder wasm.
    for (const folder of Object.values(PDFJS_DATA_FOLDERS)) {
      const files = readdirSync(pdfjsDataFolder(folder), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      expect(files.length, folder).toBeGreaterThan(0);
      loaded.push(...files.map((entry) => join(entry.parentPath, entry.name)));
    }
    // The entry point of every runtime package.
    for (const pkg of runtime.values()) {
      try {
        loaded.push(createRequire(join(pkg.dir, 'noop.js')).resolve(pkg.dir));
      } catch {
        // data-only packages (@tesseract.js-data/*) and ESM-only ones without a require entry
      }
    }
    for (const file of loaded) packagedFile(file);
  });

  it.each(Object.entries(PLATFORMS))('unpacks every native binary of the runtime packages (%s)', (_platform, options) => {
    const unpack = asarUnpackFilter(options);
    const binaries = [...packaged.values()].filter((file) => NATIVE_BINARY.test(file.source));
    // better-sqlite3, sharp + libvips, sodium-native, @napi-rs/canvas at least.
    for (const name of ['better_sqlite3.node', 'sodium-native.node', 'libvips-cpp.']) {
      expect(
        binaries.some((file) => file.inApp.includes(name)),
        name,
      ).toBe(true);
    }
    expect(binaries.some((file) => file.inApp.startsWith('node_modules/@napi-rs/'))).toBe(true);
    for (const file of binaries) expect(unpack(file.source, file.stat), `${file.inApp} must be unpacked`).toBe(true);
  });

  it.each(Object.entries(PLATFORMS))('unpacks the OCR language data and engine, keeps the OCR worker script packed (%s)', (_platform, options) => {
    const unpack = asarUnpackFilter(options);
    const languages = installedLanguages();
    expect(languages).toEqual(expect.arrayContaining(['chi_sim', 'eng']));
    for (const language of languages) {
      const file = packagedFile(languageDataFile(language));
      expect(unpack(file.source, file.stat), `${file.inApp} is symlinked to, so must be on disk`).toBe(true);
    }
    // The engine variants tesseract.js's worker picks from (its getCore.js names them).
    const tesseractRequire = createRequire(requireFromRoot.resolve('tesseract.js'));
    const getCore = readFileSync(tesseractRequire.resolve('./worker-script/node/getCore.js'), 'utf8');
    const cores = [...getCore.matchAll(/require\('(tesseract\.js-core\/[^']+)'\)/g)].map((match) => match[1]!);
    expect(cores.length).toBeGreaterThanOrEqual(4);
    for (const core of cores) {
      const script = tesseractRequire.resolve(core);
      for (const path of [script, script.replace(/\.js$/, '.wasm')]) {
        const file = packagedFile(path);
        expect(unpack(file.source, file.stat), file.inApp).toBe(true);
      }
    }
    // tesseract.js starts its worker threads from its own script, by path, inside app.asar.
    const { workerPath } = tesseractRequire('./worker/node/defaultOptions.js') as { workerPath: string };
    const worker = packagedFile(workerPath);
    expect(unpack(worker.source, worker.stat), worker.inApp).toBe(false);
  });

  it.each(Object.entries(PLATFORMS))('unpacks the PP-OCR models onnxruntime reads by path (%s)', (_platform, options) => {
    const unpack = asarUnpackFilter(options);
    for (const path of Object.values(paddleModelFiles())) {
      const file = packagedFile(path);
      expect(unpack(file.source, file.stat), `${file.inApp} is read outside Electron's fs, so must be on disk`).toBe(true);
    }
    expect(RUNTIME_BUNDLES()).toContain('dist/workers/paddle-worker.cjs');
  });

  it('does not unpack what needs no disk path', () => {
    const unpack = asarUnpackFilter(config.linux);
    for (const name of ['zod', 'drizzle-orm', 'pdfjs-dist', 'zxing-wasm', 'tesseract.js']) {
      const file = [...packaged.values()].find((candidate) => candidate.inApp === `node_modules/${name}/package.json`);
      expect(file, name).toBeDefined();
      expect(unpack(file!.source, file!.stat), name).toBe(false);
    }
  });
});

describe('electron-builder glob semantics (its own FileMatcher)', () => {
  const stat = (moduleFullFilePath?: string) => ({ isDirectory: () => false, moduleFullFilePath }) as unknown as Stats;

  it('matches asarUnpack against the path inside the app, nested packages included', () => {
    const unpack = asarUnpackFilter(config.linux);
    // A pnpm store path on disk; electron-builder names the copy by its place in the app.
    const store = join(root, 'node_modules/.pnpm/better-sqlite3@12.0.0/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(unpack(store, stat('node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(unpack(store, stat('node_modules/drizzle-orm/node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(unpack(store, stat('node_modules/better-sqlite3-helper/index.js'))).toBe(false);
    expect(unpack(store, stat('node_modules/@img/sharp-libvips-linux-x64/lib/.hidden.so'))).toBe(true); // dot: true
  });

  it('gives a plain folder name /**/* and honours negation order, as minimatch does there', () => {
    const matcher = new fileMatcher.FileMatcher(root, APP_DESTINATION, identity, ['dist', '!dist/**/*.map']);
    const filter = matcher.createFilter();
    expect(filter(join(root, 'dist/main/shell.cjs'), stat())).toBe(true);
    expect(filter(join(root, 'dist/main/shell.cjs.map'), stat())).toBe(false);
    expect(filter(join(root, 'distant/x.js'), stat())).toBe(false);
  });
});

describe('runtime paths', () => {
  it('maps app.asar to app.asar.unpacked, and nothing else', () => {
    expect(unpackedPath('/opt/SlipVault/resources/app.asar/node_modules/x/a.gz')).toBe('/opt/SlipVault/resources/app.asar.unpacked/node_modules/x/a.gz');
    expect(unpackedPath('C:\\Program Files\\SlipVault\\resources\\app.asar\\node_modules\\x\\a.gz')).toBe(
      'C:\\Program Files\\SlipVault\\resources\\app.asar.unpacked\\node_modules\\x\\a.gz',
    );
    expect(unpackedPath('/Applications/SlipVault.app/Contents/Resources/app.asar')).toBe('/Applications/SlipVault.app/Contents/Resources/app.asar.unpacked');
    for (const unchanged of [
      '/opt/SlipVault/resources/app.asar.unpacked/node_modules/x/a.gz',
      '/home/clerk/my-app.asar/x',
      '/home/clerk/app.asarx/y',
      '/work/slipvault/node_modules/x/a.gz',
    ]) {
      expect(unpackedPath(unchanged)).toBe(unchanged);
    }
  });

  it('finds every built worker script, and every built one is known', () => {
    const built = readdirSync(join(root, 'dist', 'workers')).filter((name) => name.endsWith('.cjs'));
    expect(Object.values(WORKER_SCRIPTS).sort()).toEqual(built.sort());
    for (const name of Object.keys(WORKER_SCRIPTS) as WorkerScript[]) {
      expect(workerScriptPath(name)).toBe(join(root, 'dist', 'workers', WORKER_SCRIPTS[name]));
    }
  });

  it("starts every worker thread of the main-process code through workerScriptPath, never from eval'd source", () => {
    const sources = readdirSync(join(root, 'src', 'main'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath, entry.name));
    let scripts = 0;
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/new Worker\(\s*(\w+\([^)]*\)|[^,)]*)(,[^)]*)?\)/g)) {
        const where = relative(root, file);
        // An eval'd string is neither typed nor linted; a thread's code is a file that scripts/build.mjs bundles.
        expect(match[2] ?? '', where).not.toMatch(/eval:\s*true/);
        scripts += 1;
        expect(match[1], where).toMatch(/^workerScriptPath\('\w+'\)$/);
      }
    }
    expect(scripts).toBeGreaterThanOrEqual(3);
  });

  it('links the OCR language data to the real files', () => {
    const folder = languageDataFolder(['eng']);
    expect(readlinkSync(join(folder, 'eng.traineddata.gz'))).toBe(unpackedPath(languageDataFile('eng')));
    expect(readFileSync(join(folder, 'eng.traineddata.gz')).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });
});

describe('after-pack.cjs', () => {
  interface AfterPack {
    default: (context: unknown) => Promise<void>;
    fuseConfig: (platform: string) => Record<string, unknown>;
    electronBinaryPath: (context: unknown) => string;
  }
  const afterPack = requireFromRoot('./scripts/after-pack.cjs') as AfterPack;
  const fuses = requireFromRoot('@electron/fuses') as {
    FuseV1Options: Record<string, number>;
    getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
  };
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const ENABLED = 49;
  const DISABLED = 48;

  /** A file laid out like Electron's fuse wire: sentinel, version 1, 8 fuses in Electron's defaults. */
  function standInBinary(file: string): void {
    const wire = Buffer.from([1, 8, ENABLED, DISABLED, ENABLED, ENABLED, DISABLED, DISABLED, DISABLED, ENABLED]);
    writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF stand-in'), Buffer.from(SENTINEL), wire, Buffer.from('rest')]));
  }

  it('flips the fuses the issue names in the packaged binary', async () => {
    const appOutDir = mkdtempSync(join(workDir, 'linux-unpacked-'));
    standInBinary(join(appOutDir, 'slipvault'));
    const context = {
      appOutDir,
      electronPlatformName: 'linux',
      packager: { executableName: 'slipvault', appInfo: { productFilename: 'SlipVault' } },
    };
    await afterPack.default(context);
    const wire = await fuses.getCurrentFuseWire(join(appOutDir, 'slipvault'));
    const { FuseV1Options: o } = fuses;
    expect(wire[o.RunAsNode!]).toBe(DISABLED);
    expect(wire[o.EnableNodeOptionsEnvironmentVariable!]).toBe(DISABLED);
    expect(wire[o.EnableNodeCliInspectArguments!]).toBe(DISABLED);
    expect(wire[o.EnableEmbeddedAsarIntegrityValidation!]).toBe(ENABLED);
    expect(wire[o.OnlyLoadAppFromAsar!]).toBe(ENABLED);
    expect(wire[o.GrantFileProtocolExtraPrivileges!]).toBe(DISABLED);
  });

  it('refuses to package when the binary is missing, and finds it on every platform', async () => {
    const appOutDir = mkdtempSync(join(workDir, 'empty-'));
    const packager = { executableName: 'slipvault', appInfo: { productFilename: 'SlipVault' } };
    await expect(afterPack.default({ appOutDir, electronPlatformName: 'linux', packager })).rejects.toThrow(/binary not found/);
    expect(afterPack.electronBinaryPath({ appOutDir, electronPlatformName: 'win32', packager })).toBe(join(appOutDir, 'SlipVault.exe'));
    expect(afterPack.electronBinaryPath({ appOutDir, electronPlatformName: 'darwin', packager })).toBe(join(appOutDir, 'SlipVault.app'));
    for (const platform of ['linux', 'win32', 'darwin', 'mas']) {
      const config = afterPack.fuseConfig(platform);
      expect(config.resetAdHocDarwinSignature, platform).toBe(platform === 'darwin' || platform === 'mas');
    }
  });
});
