// Nothing readable at rest: marker strings written through the dispatcher must not appear in any file of
// the data folder (database, WAL, SHM, key file), nor may the passphrases, the recovery key or the raw key.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/vault/database.js';
import { call, MANAGER } from '../support/partnership.js';
import { filesIn, initialisedStore, newHost, tempDir } from '../support/store.js';
import { rawKeyHex, rawKeyOf } from './raw.js';

const MARKERS = {
  displayName: 'Zebramarker Quillfeather-7Q',
  organisation: 'Quokkamarker Housing Association 4X',
  justification: 'Narwhalmarker: preparing for the 3 Dec People meeting 9P',
  unicode: 'Ünïcødé Ħœmarker Łódź 東京',
};
const NEW_USER_PASSPHRASE = 'pangolin marker passphrase 31';

/** Every way a string could sit in a file: UTF-8, UTF-16LE, UTF-16BE. */
function encodings(text: string): Buffer[] {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  return [Buffer.from(text, 'utf8'), le, be];
}

/** The needles found in any file of `dir`, as "file: needle". */
function findIn(dir: string, needles: Record<string, Buffer[]>): string[] {
  const found: string[] = [];
  for (const [path, bytes] of filesIn(dir)) {
    for (const [name, forms] of Object.entries(needles)) {
      if (forms.some((form) => bytes.includes(form))) found.push(`${path.slice(dir.length + 1)}: ${name}`);
    }
  }
  return found;
}

describe('data at rest', () => {
  it('the scan finds markers in an unencrypted database (so a clean result below means something)', async () => {
    const dir = tempDir();
    const plain = await Database.open(join(dir, 'plain.db'), 'create');
    await plain.exec('PRAGMA encoding = "UTF-16le"; CREATE TABLE t (v TEXT);');
    await plain.run('INSERT INTO t VALUES (?)', [MARKERS.unicode]);
    await plain.close();
    expect(findIn(dir, { unicode: encodings(MARKERS.unicode) })).toEqual(['plain.db: unicode']);
  });

  it('no marker, passphrase, recovery key or raw key appears in any file of the data folder, unlocked or locked', async () => {
    const { host, dataDir, recoveryKey } = await initialisedStore();
    const { organisation } = await call(host, 'organisations.add', { name: MARKERS.organisation, statutory: true });
    await call(host, 'organisations.add', { name: MARKERS.unicode, statutory: false });
    await call(host, 'users.add', {
      username: 'marker.user',
      displayName: MARKERS.displayName,
      role: 'statutory',
      organisationId: organisation.id,
      passphrase: NEW_USER_PASSPHRASE,
    });
    await call(host, 'session.setJustification', { justification: MARKERS.justification });
    // Entries carrying the justification, and reads that pull the rows back through the cache.
    await call(host, 'users.list', {});
    await call(host, 'audit.query', { filter: {} });
    const pragma = rawKeyOf(host);
    const keyHex = rawKeyHex(pragma);
    // The closed database's key (the manager holds it), in neither file nor the WAL either.
    const closedHex = rawKeyHex(host.vault!.rawKeyPragmas()[1]!.pragma);
    const needles: Record<string, Buffer[]> = {
      ...Object.fromEntries(Object.entries(MARKERS).map(([name, text]) => [name, encodings(text)])),
      managerPassphrase: encodings(MANAGER.passphrase),
      userPassphrase: encodings(NEW_USER_PASSPHRASE),
      recoveryKey: [...encodings(recoveryKey), ...encodings(recoveryKey.replace(/-/g, ''))],
      rawKeyHex: [...encodings(keyHex), ...encodings(keyHex.toUpperCase())],
      rawKeyBytes: [Buffer.from(keyHex, 'hex')],
      closedKeyHex: [...encodings(closedHex), ...encodings(closedHex.toUpperCase())],
      closedKeyBytes: [Buffer.from(closedHex, 'hex')],
    };

    // Unlocked: the WAL and SHM files are there too.
    const unlockedFiles = readdirSync(dataDir);
    expect(unlockedFiles).toEqual(expect.arrayContaining(['concordat.db', 'concordat.db-wal', 'concordat.db-shm', 'concordat.keys']));
    expect(findIn(dataDir, needles)).toEqual([]);

    await call(host, 'session.lock');
    expect(findIn(dataDir, needles)).toEqual([]);
    await host.close();
    expect(readdirSync(dataDir).sort()).toEqual(['concordat-closed.db', 'concordat.db', 'concordat.keys']);
    expect(findIn(dataDir, needles)).toEqual([]);

    // And the data is really there, behind the key.
    const again = newHost(dataDir);
    await call(again, 'session.unlock', { username: 'marker.user', passphrase: NEW_USER_PASSPHRASE });
    const me = (await call(again, 'store.status')).user;
    expect(me).toMatchObject({ displayName: MARKERS.displayName, organisation: MARKERS.organisation });
  });
});
