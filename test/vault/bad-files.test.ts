// Damaged, missing, foreign and mismatched files: each gives its own clear error, and none is overwritten.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { Host } from '../../src/host/host.js';
import { Database } from '../../src/vault/database.js';
import type { ErrorCode } from '../../src/contract/errors.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { FAST_KDF, filesIn, newHost, tempDir } from '../support/store.js';
import { copyStore, dbFile, keyFilePath } from './raw.js';

/** Two locked stores made once; each test works on its own copy. */
let templateDir: string;
let storeA: string;
let storeB: string;

async function makeStore(dataDir: string): Promise<void> {
  const host = new Host(dataDir, { kdf: FAST_KDF });
  await call(host, 'store.init', MANAGER);
  await dispatch(host, 'organisations.add', { name: 'Riverside Housing', statutory: true });
  await dispatch(host, 'session.lock', {});
  await host.close();
}

beforeAll(async () => {
  templateDir = mkdtempSync(join(tmpdir(), 'concordat-bad-files-'));
  storeA = join(templateDir, 'a');
  storeB = join(templateDir, 'b');
  await Promise.all([makeStore(storeA), makeStore(storeB)]);
});

afterAll(() => rmSync(templateDir, { recursive: true, force: true }));

function copyOf(source: string): string {
  const dir = tempDir();
  copyStore(source, dir);
  return dir;
}

const snapshot = (dir: string) => new Map(filesIn(dir).map(([path, bytes]) => [path, bytes.toString('base64')]));

/** Tries to unlock as the manager (status first, as the app does), then checks the folder is as it was. */
async function expectRefused(dir: string, code: ErrorCode): Promise<string> {
  const before = snapshot(dir);
  const host = newHost(dir);
  const status = await dispatch(host, 'store.status', {});
  const unlock = await dispatch(host, 'session.unlock', credentials(MANAGER));
  expect(unlock).toMatchObject({ ok: false, error: { code } });
  if (!status.ok) expect(status.error.code).toBe(code);
  expect(host.session).toBeNull();
  await host.close();
  expect(snapshot(dir)).toEqual(before);
  return unlock.ok ? '' : unlock.error.message;
}

describe('bad files', () => {
  it('the untouched copies unlock (the baseline every case below departs from)', async () => {
    for (const source of [storeA, storeB]) {
      const host = newHost(copyOf(source));
      expect(await dispatch(host, 'session.unlock', credentials(MANAGER))).toMatchObject({ ok: true });
    }
  });

  it('a database without its key file: KEYFILE_MISSING', async () => {
    const dir = copyOf(storeA);
    unlinkSync(keyFilePath(dir));
    expect(await expectRefused(dir, 'KEYFILE_MISSING')).toMatch(/key file is missing/);
  });

  it('a key file without its database: DATABASE_MISSING', async () => {
    const dir = copyOf(storeA);
    unlinkSync(dbFile(dir));
    expect(await expectRefused(dir, 'DATABASE_MISSING')).toMatch(/database is missing/);
  });

  it('an empty folder: STORE_NOT_INITIALISED', async () => {
    await expectRefused(tempDir(), 'STORE_NOT_INITIALISED');
  });

  it('a truncated key file: KEYFILE_CORRUPT', async () => {
    const dir = copyOf(storeA);
    const bytes = readFileSync(keyFilePath(dir));
    writeFileSync(keyFilePath(dir), bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await expectRefused(dir, 'KEYFILE_CORRUPT')).toMatch(/truncated/);
  });

  it('an empty key file (a write cut off at the start): KEYFILE_CORRUPT', async () => {
    const dir = copyOf(storeA);
    writeFileSync(keyFilePath(dir), '');
    await expectRefused(dir, 'KEYFILE_CORRUPT');
  });

  it('a key file of ours with a damaged field: KEYFILE_CORRUPT naming the field', async () => {
    const dir = copyOf(storeA);
    const json = JSON.parse(readFileSync(keyFilePath(dir), 'utf8')) as Record<string, unknown>;
    delete json.databaseSalt;
    writeFileSync(keyFilePath(dir), JSON.stringify(json));
    expect(await expectRefused(dir, 'KEYFILE_CORRUPT')).toContain('databaseSalt');
  });

  it('a foreign key file (valid JSON, not ours): KEYFILE_FOREIGN', async () => {
    const dir = copyOf(storeA);
    writeFileSync(keyFilePath(dir), JSON.stringify({ format: 'some-other-tool', keys: ['abc'] }));
    expect(await expectRefused(dir, 'KEYFILE_FOREIGN')).toMatch(/not a Concordat key file/);
  });

  it('a foreign key file (random bytes): KEYFILE_FOREIGN', async () => {
    const dir = copyOf(storeA);
    writeFileSync(keyFilePath(dir), randomBytes(4096));
    await expectRefused(dir, 'KEYFILE_FOREIGN');
  });

  it('a database cut to half its length: DATABASE_CORRUPT', async () => {
    const dir = copyOf(storeA);
    const size = readFileSync(dbFile(dir)).length;
    truncateSync(dbFile(dir), Math.floor(size / 2));
    expect(await expectRefused(dir, 'DATABASE_CORRUPT')).toMatch(/damaged|integrity/);
  });

  it('a database cut short by whole pages (the last two gone): DATABASE_CORRUPT', async () => {
    const dir = copyOf(storeA);
    const size = readFileSync(dbFile(dir)).length;
    truncateSync(dbFile(dir), size - 2 * 4096);
    expect(await expectRefused(dir, 'DATABASE_CORRUPT')).toMatch(/damaged|truncated/);
  });

  it('a database cut to 100 bytes: DATABASE_CORRUPT', async () => {
    const dir = copyOf(storeA);
    truncateSync(dbFile(dir), 100);
    expect(await expectRefused(dir, 'DATABASE_CORRUPT')).toMatch(/truncated/);
  });

  it('an empty database file: DATABASE_CORRUPT', async () => {
    const dir = copyOf(storeA);
    truncateSync(dbFile(dir), 0);
    await expectRefused(dir, 'DATABASE_CORRUPT');
  });

  it('an unencrypted SQLite database in its place: DATABASE_FOREIGN', async () => {
    const dir = copyOf(storeA);
    unlinkSync(dbFile(dir));
    const plain = await Database.open(dbFile(dir), 'create');
    await plain.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('plain text');");
    await plain.close();
    expect(await expectRefused(dir, 'DATABASE_FOREIGN')).toMatch(/not encrypted/);
  });

  it('key files swapped between two stores: KEYFILE_MISMATCH for both', async () => {
    const dirA = copyOf(storeA);
    const dirB = copyOf(storeB);
    copyFileSync(keyFilePath(storeB), keyFilePath(dirA));
    copyFileSync(keyFilePath(storeA), keyFilePath(dirB));
    expect(await expectRefused(dirA, 'KEYFILE_MISMATCH')).toMatch(/different store/);
    await expectRefused(dirB, 'KEYFILE_MISMATCH');
  });

  it('init on a folder that already has a store: STORE_EXISTS, nothing changed', async () => {
    const dir = copyOf(storeA);
    const before = snapshot(dir);
    const host = newHost(dir);
    const result = await dispatch(host, 'store.init', { ...MANAGER, username: 'new.manager', passphrase: 'a different long passphrase' });
    expect(result).toMatchObject({ ok: false, error: { code: 'STORE_EXISTS' } });
    await host.close();
    expect(snapshot(dir)).toEqual(before);
  });

  it('init on a folder holding only a database (its key file lost): STORE_EXISTS, the database kept', async () => {
    const dir = copyOf(storeA);
    unlinkSync(keyFilePath(dir));
    const before = snapshot(dir);
    const host = newHost(dir);
    expect(await dispatch(host, 'store.init', MANAGER)).toMatchObject({ ok: false, error: { code: 'STORE_EXISTS' } });
    await host.close();
    expect(snapshot(dir)).toEqual(before);
  });
});
