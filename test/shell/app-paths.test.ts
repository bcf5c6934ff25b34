// Issue 16, finding 9: the app finds its own files from its modules, never from the working directory,
// and content protection is on unless switched off explicitly.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appRoot, rendererRoot } from '../../src/shell/app-paths.js';
import { contentProtectionFrom } from '../../src/shell/content-protection.js';
import { REPO_ROOT } from '../support/child-dist.js';
import { tempDir } from '../support/store.js';

describe('the app root', () => {
  it('is the folder of Concordat’s package.json above the module, whatever the working directory', () => {
    const before = process.cwd();
    try {
      process.chdir(tempDir());
      expect(appRoot()).toBe(resolve(REPO_ROOT));
      expect(rendererRoot()).toBe(join(REPO_ROOT, 'dist-renderer'));
    } finally {
      process.chdir(before);
    }
  });

  it('passes over another package’s manifest on the way up (an app installed inside some other project)', () => {
    const root = tempDir();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'concordat' }));
    const nested = join(root, 'dist', 'src', 'shell');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name: 'something-else' }));
    writeFileSync(join(root, 'dist', 'src', 'package.json'), '{ not json');
    expect(appRoot(nested)).toBe(root);
  });
});

describe('content protection', () => {
  it('is on by default and for anything but an explicit off', () => {
    expect(contentProtectionFrom(undefined)).toBe(true);
    for (const on of ['', '1', 'on', 'yes', 'true', 'maybe']) expect(contentProtectionFrom(on), on).toBe(true);
    for (const off of ['0', 'off', 'OFF', ' false ', 'no']) expect(contentProtectionFrom(off), off).toBe(false);
  });
});
