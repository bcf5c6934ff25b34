// electron-builder afterPack hook: burns the Electron fuses into the packaged binary before it is
// signed and wrapped into an installer. Fuses are compile-time switches a managed laptop's user cannot
// flip back with an environment variable or a command-line flag.
// CommonJS because electron-builder loads hooks with require().
'use strict';
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder hooks are CommonJS */
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** The fuse settings, by name. Exported so the configuration test can read exactly what is applied. */
const FUSES = Object.freeze({
  // No ELECTRON_RUN_AS_NODE: the binary cannot be turned into a plain Node interpreter with our privileges.
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableCookieEncryption: true,
  // The asar is checked against the hash embedded at build time (macOS, Windows), and only the asar runs.
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  // The app is served from concordat://, so file:// needs none of its legacy privileges.
  GrantFileProtocolExtraPrivileges: false,
});

// electron-builder's Arch enum value for arm64 (builder-util: ia32 0, x64 1, armv7l 2, arm64 3, universal 4).
const ARCH_ARM64 = 3;

/** The @electron/fuses configuration for one platform and architecture. */
function fuseConfig(platform, arch) {
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: platform === 'darwin' && arch === ARCH_ARM64 };
  for (const [name, value] of Object.entries(FUSES)) {
    if (!(name in FuseV1Options)) throw new Error(`Unknown fuse ${name}`);
    config[FuseV1Options[name]] = value;
  }
  return config;
}

/** Where the packaged Electron binary is, for the context electron-builder passes to afterPack. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    default:
      return path.join(appOutDir, packager.executableName);
  }
}

async function afterPack(context) {
  await flipFuses(electronBinaryPath(context), fuseConfig(context.electronPlatformName, context.arch));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinaryPath = electronBinaryPath;
