// electron-builder afterPack hook: flips Electron's fuses in the packaged binary before it is signed.
// https://www.electronjs.org/docs/latest/tutorial/fuses
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** The Electron executable inside context.appOutDir for the platform being packaged. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      // @electron/fuses accepts the .app bundle and finds the framework binary inside it.
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    case 'linux': {
      // On Linux the executable is packager.executableName (lower-case by default), not the product name.
      const candidates = [packager.executableName, productFilename, productFilename.toLowerCase()].filter(Boolean);
      const found = candidates.map((name) => path.join(appOutDir, name)).find((file) => fs.existsSync(file));
      return found ?? path.join(appOutDir, candidates[0]);
    }
    default:
      throw new Error(`after-pack: unknown platform ${electronPlatformName}`);
  }
}

/**
 * The fuses every packaged SlipVault binary gets (docs/architecture.md, "Electron security"): no running as plain Node, no
 * NODE_OPTIONS, no --inspect, the app only from app.asar and that archive checked against its hash.
 * tests/unit/packaging.test.ts flips them on a stand-in binary and reads them back.
 */
function fuseConfig(electronPlatformName) {
  const darwin = electronPlatformName === 'darwin' || electronPlatformName === 'mas';
  return {
    version: FuseVersion.V1,
    // Flipping fuses invalidates the ad-hoc signature of arm64 macOS binaries; electron-builder signs after us.
    resetAdHocDarwinSignature: darwin,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // The UI is served from app://, never file://; file: pages get no extra powers.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

async function afterPack(context) {
  const binary = electronBinaryPath(context);
  if (!fs.existsSync(binary)) throw new Error(`after-pack: Electron binary not found at ${binary}`);
  await flipFuses(binary, fuseConfig(context.electronPlatformName));
  console.log(`  • fuses flipped  file=${binary}`);
}

exports.default = afterPack;
exports.fuseConfig = fuseConfig;
exports.electronBinaryPath = electronBinaryPath;
