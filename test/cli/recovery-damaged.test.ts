// The recovery key must still yield the raw key when the database is too damaged to open:
// that is when the standard SQLCipher tool is needed most.
import { openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/store.js';
import { assertBuilt, initStore, inStore } from './run.js';

describe('concordat recovery raw-key on a damaged database', () => {
  it('falls back to the key file alone, says the disclosure could not be logged, and prints the key', async () => {
    assertBuilt();
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    const recoveryKey = await initStore(cli);
    const healthy = await cli(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: recoveryKey });
    expect(healthy.code, healthy.stderr).toBe(0);

    // Scribble over the second page: the header (and so the salt binding) survives, the page's HMAC fails.
    const database = join(dataDir, 'concordat.db');
    expect(statSync(database).size).toBeGreaterThan(8192);
    const fd = openSync(database, 'r+');
    writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, 4096 + 100);
    closeSync(fd);

    const damaged = await cli(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: recoveryKey });
    expect(damaged.code, damaged.stderr).toBe(0);
    expect(damaged.stderr).toMatch(/DATABASE_CORRUPT/);
    expect(damaged.stderr).toMatch(/cannot be recorded in the audit log/);
    // The same key as before the damage (the pragma line, then the hint on stderr).
    expect(damaged.stdout).toBe(healthy.stdout);
  });
});
