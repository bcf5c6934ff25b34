// electron-builder.yml and the afterPack fuse hook. Packaging itself needs the Electron binary, which
// this machine lacks, so the configuration is validated against electron-builder's own schema and the
// hook is run for real on a file carrying Electron's fuse wire.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import type * as Fuses from '@electron/fuses';
import { tempDir } from '../support/store.js';

const require = createRequire(import.meta.url);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const yaml = require('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  afterPack: string;
  electronFuses?: unknown;
  publish: null;
  win: { target: { target: string; arch: string[] }[] };
  nsis: { oneClick: boolean; perMachine: boolean };
  msi: { oneClick: boolean; perMachine: boolean };
  linux: { target: string[] };
  mac: { target: string[] };
}
const config = yaml.load(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** electron-builder's file-set rule: patterns apply in order, the last one that matches decides. */
function packaged(path: string): boolean {
  let included = false;
  for (const pattern of config.files) {
    const negated = pattern.startsWith('!');
    if (minimatch(path, negated ? pattern.slice(1) : pattern, { dot: true })) included = !negated;
  }
  return included;
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own configuration schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(c: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The schema really is checked: a misspelt key is refused.
    await expect(validateConfiguration({ ...config, nsis: { ...config.nsis, perMachin: true } }, new DebugLogger(false))).rejects.toThrow(
      /configuration/i,
    );
  });

  it('names the product and packs into an asar, with the SQLCipher native module unpacked', () => {
    expect(config.productName).toBe('Concordat');
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.asar).toBe(true);
    const sqlcipherBinary = 'node_modules/@journeyapps/sqlcipher/build/Release/node_sqlite3.node';
    expect(config.asarUnpack.some((p) => minimatch(sqlcipherBinary, p, { dot: true }))).toBe(true);
    expect(config.publish).toBeNull();
  });

  it('ships the compiled app and built renderer only: no tests, benchmarks, sources, maps or preview transport', () => {
    for (const path of [
      'package.json',
      'dist/main/main.js',
      'dist/main/preload.cjs',
      'dist/src/vault/vault.js',
      'dist/src/dispatch/dispatcher.js',
      'dist-renderer/index.html',
      'dist-renderer/assets/app.js',
    ]) {
      expect(packaged(path), path).toBe(true);
    }
    for (const path of [
      'dist/main/main.js.map',
      'dist/test/main/app.test.js',
      'dist/bench/unlock.js',
      'dist/src/cli/main.js',
      'dist/src/transport/http-transport.js',
      'dist/src/transport/preview.js',
      'src/vault/vault.ts',
      'main/main.ts',
      'main/preload.cts',
      'test/main/app.test.ts',
      'docs/electron.md',
      'README.md',
      'electron-builder.yml',
      'scripts/electronegativity-gate.mjs',
      'node_modules/@journeyapps/sqlcipher/deps/sqlcipher-amalgamation/sqlite3.c',
      'node_modules/zod/README.md',
      'node_modules/zod/src/index.ts',
    ]) {
      expect(packaged(path), path).toBe(false);
    }
  });

  it('builds per-machine installers for Windows (NSIS and MSI), AppImage and deb for Linux, dmg for macOS', () => {
    expect(config.win.target.map((t) => t.target).sort()).toEqual(['msi', 'nsis']);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false });
    expect(config.msi).toMatchObject({ perMachine: true });
    expect(config.linux.target.sort()).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('flips the fuses in the afterPack hook (and not twice through electronFuses)', () => {
    expect(config.afterPack).toBe('build/after-pack.cjs');
    expect(existsSync(join(repo, config.afterPack))).toBe(true);
    expect(config.electronFuses).toBeUndefined();
  });

  it('never lets main/ reach the preview transport', () => {
    for (const file of readdirSync(join(repo, 'main'))) {
      const text = readFileSync(join(repo, 'main', file), 'utf8');
      expect(text, file).not.toMatch(/http-transport|dispatch\/preview|node:http/);
    }
  });
});

describe('after-pack fuses', () => {
  const hook = require(join(repo, 'build/after-pack.cjs')) as ((context: unknown) => Promise<void>) & {
    FUSES: Record<string, boolean>;
    fuseConfig(platform: string, arch: number): Record<string, unknown>;
    electronBinaryPath(context: unknown): string;
  };
  const { FuseV1Options, FuseVersion, getCurrentFuseWire } = require('@electron/fuses') as typeof Fuses;

  it('sets every fuse the hardening calls for', () => {
    expect(hook.FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableCookieEncryption: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
    const linux = hook.fuseConfig('linux', 1);
    expect(linux).toMatchObject({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    // Flipping fuses breaks an Apple Silicon ad-hoc signature, which must then be renewed.
    expect(hook.fuseConfig('darwin', 3).resetAdHocDarwinSignature).toBe(true);
    expect(hook.fuseConfig('darwin', 1).resetAdHocDarwinSignature).toBe(false);
  });

  it('finds the packaged binary on each platform', () => {
    const packager = { executableName: 'concordat', appInfo: { productFilename: 'Concordat' } };
    expect(hook.electronBinaryPath({ appOutDir: '/out', electronPlatformName: 'win32', packager })).toBe(join('/out', 'Concordat.exe'));
    expect(hook.electronBinaryPath({ appOutDir: '/out', electronPlatformName: 'darwin', packager })).toBe(join('/out', 'Concordat.app'));
    expect(hook.electronBinaryPath({ appOutDir: '/out', electronPlatformName: 'linux', packager })).toBe(join('/out', 'concordat'));
  });

  it('burns the fuses into a binary carrying the fuse wire, leaving every other byte alone', async () => {
    // Electron's layout: the sentinel, the wire version (1), the wire length, then one byte per fuse
    // ('0' off, '1' on). Start from the opposite of every wanted setting so each fuse must flip.
    const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
    const names = Object.keys(hook.FUSES);
    const wire = Buffer.alloc(names.length);
    for (const name of names) wire[FuseV1Options[name as keyof typeof FuseV1Options]] = hook.FUSES[name] ? 0x30 : 0x31;
    const before = randomBytes(4096);
    const after = randomBytes(4096);
    const binary = Buffer.concat([before, sentinel, Buffer.from([1, names.length]), wire, after]);
    const appOutDir = tempDir();
    writeFileSync(join(appOutDir, 'concordat'), binary);

    await hook({
      appOutDir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { executableName: 'concordat', appInfo: { productFilename: 'Concordat' } },
    });

    const current = await getCurrentFuseWire(join(appOutDir, 'concordat'));
    for (const name of names) {
      expect(current[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(hook.FUSES[name] ? 0x31 : 0x30);
    }
    const written = readFileSync(join(appOutDir, 'concordat'));
    expect(written.length).toBe(binary.length);
    expect(written.subarray(0, 4096).equals(before)).toBe(true);
    expect(written.subarray(written.length - 4096).equals(after)).toBe(true);
  });

  it('fails the build when the file is not an Electron binary', async () => {
    const appOutDir = tempDir();
    writeFileSync(join(appOutDir, 'concordat'), randomBytes(1024));
    await expect(
      hook({
        appOutDir,
        electronPlatformName: 'linux',
        arch: 1,
        packager: { executableName: 'concordat', appInfo: { productFilename: 'Concordat' } },
      }),
    ).rejects.toThrow(/sentinel/);
  });
});
