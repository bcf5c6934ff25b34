// An unforeseen failure: the caller gets the generic message and an incident id; the data folder's log
// gets the id, the operation, the error's name and stack frames, and none of what the caller sent.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { handlers } from '../../src/services/index.js';
import { INTERNAL_ERROR_MESSAGE } from '../../src/contract/errors.js';
import { INCIDENT_LOG_FILE, type IncidentEntry } from '../../src/host/incident-log.js';
import { call } from '../support/partnership.js';
import { initialisedStore } from '../support/store.js';

const ORGANISATION = 'Zephyrine Marker Trust';

function incidentLog(dataDir: string): { text: string; entries: IncidentEntry[] } {
  const text = readFileSync(join(dataDir, 'logs', INCIDENT_LOG_FILE), 'utf8');
  return {
    text,
    entries: text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as IncidentEntry),
  };
}

const original = handlers['organisations.add'];
afterEach(() => {
  handlers['organisations.add'] = original;
});

describe('an INTERNAL error', () => {
  it('returns an incident id and logs the stack under it, without the input, the message or the cause', async () => {
    const { host, dataDir } = await initialisedStore();
    handlers['organisations.add'] = async (_call, input) => {
      throw new Error(`cannot add ${input.name}`, { cause: new Error(`INSERT INTO organisations VALUES ('${input.name}')`) });
    };

    const result = await dispatch(host, 'organisations.add', { name: ORGANISATION, statutory: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const incidentId = result.error.details?.incidentId;
    expect(result.error.code).toBe('INTERNAL');
    expect(incidentId).toMatch(/^[0-9A-F]{10}$/);
    expect(result.error.message).toBe(`${INTERNAL_ERROR_MESSAGE} If it happens again, quote incident ${incidentId}.`);
    expect(JSON.stringify(result)).not.toMatch(/Zephyrine|INSERT/);

    const { text, entries } = incidentLog(dataDir);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({ incidentId, operation: 'organisations.add' });
    expect(entry!.errors.map((e) => e.name)).toEqual(['Error', 'Error']);
    // The frames lead back to where it was thrown: this file.
    expect(entry!.errors[0]!.frames.some((frame) => frame.includes('incidents.test.ts'))).toBe(true);
    expect(text).not.toMatch(/Zephyrine|INSERT|cannot add/);
  });

  it('logs a failure inside the database by its name and code, not the message that quotes the row', async () => {
    const { host, dataDir } = await initialisedStore();
    await host.vault!.db.exec(`CREATE TEMP TRIGGER quote_the_row BEFORE INSERT ON organisations
      BEGIN SELECT RAISE(ABORT, 'refused row ' || NEW.name); END`);
    const result = await dispatch(host, 'organisations.add', { name: ORGANISATION, statutory: false });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', details: { incidentId: expect.any(String) } } });
    if (result.ok) return;

    const { text, entries } = incidentLog(dataDir);
    expect(entries[0]).toMatchObject({ incidentId: result.error.details!.incidentId, operation: 'organisations.add' });
    expect(entries[0]!.errors[0]!.code).toMatch(/^SQLITE_/);
    expect(text).not.toMatch(/Zephyrine|refused row/);
    // Nothing was written: the change and its audit entry rolled back together.
    expect((await call(host, 'organisations.list')).organisations.map((o) => o.name)).not.toContain(ORGANISATION);
  });

  it('keeps the log private to the user: folder 0700, file 0600', async () => {
    const { host, dataDir } = await initialisedStore();
    handlers['organisations.add'] = async () => {
      throw new TypeError('boom');
    };
    await dispatch(host, 'organisations.add', { name: ORGANISATION, statutory: true });
    expect(readdirSync(join(dataDir, 'logs'))).toEqual([INCIDENT_LOG_FILE]);
    if (process.platform !== 'win32') {
      expect(statSync(join(dataDir, 'logs')).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'logs', INCIDENT_LOG_FILE)).mode & 0o777).toBe(0o600);
    }
    expect(incidentLog(dataDir).entries[0]!.errors[0]!.name).toBe('TypeError');
  });

  it('leaves a refusal as it is: no incident, no log', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'organisations.add', { name: ORGANISATION, statutory: true });
    expect(await dispatch(host, 'organisations.add', { name: ORGANISATION, statutory: true })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(readdirSync(dataDir)).not.toContain('logs');
  });
});
