// A process killed while writing the key file (writeFileAtomic, writeFileAtomicInBackground) leaves its
// temporary copy, `.concordat.keys.<12 hex>.tmp`, beside it: an older key file with every slot it held.
// The next opening of the store removes those, and nothing else: not a name that only looks like one, not
// a folder, not one in another folder. A vault waits for its own background write before it lets go of
// the folder, so that removal can never catch a write of this process mid-way.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditHead } from '../../src/audit/log.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { initialisedStore, newHost } from '../support/store.js';
import { keyFilePath } from './raw.js';

const temporaries = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.tmp'));

describe('stray temporary key files', () => {
  it('are removed when the store is next opened: only our own pattern, only in the data folder', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    await host.close();

    // What a kill mid-write leaves: a full copy of the key file under a temporary name (two of them).
    const strays = ['.concordat.keys.0123456789ab.tmp', '.concordat.keys.ffffffffffff.tmp'];
    for (const name of strays) copyFileSync(keyFilePath(dataDir), join(dataDir, name));
    // Look-alikes that are not ours, or not files, or not in the data folder: all left alone.
    const kept = [
      '.concordat.keys.0123456789ab.tmp.keep',
      '.concordat.keys.0123456789AB.tmp',
      '.concordat.keys.0123456789a.tmp',
      'concordat.keys.0123456789ab.tmp',
      '.concordat.db.0123456789ab.tmp',
      '.other.keys.0123456789ab.tmp',
    ];
    for (const name of kept) writeFileSync(join(dataDir, name), 'not ours');
    mkdirSync(join(dataDir, '.concordat.keys.aaaaaaaaaaaa.tmp'));
    mkdirSync(join(dataDir, 'elsewhere'));
    writeFileSync(join(dataDir, 'elsewhere', '.concordat.keys.0123456789ab.tmp'), 'in another folder');

    const after = newHost(dataDir);
    expect(await call(after, 'session.unlock', credentials(MANAGER))).toMatchObject({ tamperWarning: null });
    for (const name of strays) expect(existsSync(join(dataDir, name)), name).toBe(false);
    for (const name of kept) expect(existsSync(join(dataDir, name)), name).toBe(true);
    expect(existsSync(join(dataDir, '.concordat.keys.aaaaaaaaaaaa.tmp'))).toBe(true);
    expect(existsSync(join(dataDir, 'elsewhere', '.concordat.keys.0123456789ab.tmp'))).toBe(true);
  });

  it('a background key-file write still in flight when the store is closed finishes first, and leaves no temporary file', async () => {
    const { host, dataDir } = await initialisedStore();
    const vault = host.vault!;
    const head = (await auditHead(vault.db))!;
    // The checkpoint after a consultation is written on the thread pool; the close comes straight after.
    let finished = false;
    const background = vault.writeCheckpoint(head, { inBackground: true }).then(() => (finished = true));
    await host.close();
    expect(finished).toBe(true);
    expect(temporaries(dataDir)).toEqual([]);
    await background;
    // The next opener finds the store as that write left it.
    const after = newHost(dataDir);
    expect(await call(after, 'session.unlock', credentials(MANAGER))).toMatchObject({ tamperWarning: null });
    expect(temporaries(dataDir)).toEqual([]);
  });
});
