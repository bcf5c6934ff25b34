// The incident log's own rules: what it keeps of an error, and how it rotates.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INCIDENT_LOG_FILE,
  INCIDENT_LOG_KEEP,
  INCIDENT_LOG_MAX_BYTES,
  describeError,
  writeIncident,
  type IncidentEntry,
} from '../../src/host/incident-log.js';
import { tempDir } from '../support/store.js';

const entry = (incidentId: string): IncidentEntry => ({
  at: '2026-11-29T00:00:00.000Z',
  incidentId,
  operation: 'cases.get',
  errors: describeError(new Error('x')),
});

describe('incident log', () => {
  it('keeps name, code and frames of an error and its causes; never a message or a made-up name', () => {
    const inner = Object.assign(new Error("SELECT * FROM people WHERE name = 'Jo Bloggs'"), { code: 'SQLITE_ERROR' });
    const outer = new RangeError('while reading Jo Bloggs', { cause: inner });
    const odd = Object.assign(new Error('m'), { name: 'Jo Bloggs said', code: 'not a code: Jo Bloggs' });
    const described = describeError(outer);
    expect(described.map(({ name, code }) => ({ name, code }))).toEqual([
      { name: 'RangeError', code: undefined },
      { name: 'Error', code: 'SQLITE_ERROR' },
    ]);
    expect(described[0]!.frames.length).toBeGreaterThan(0);
    expect(described[0]!.frames.every((f) => f.startsWith('at '))).toBe(true);
    expect(JSON.stringify([described, describeError(odd), describeError('Jo Bloggs')])).not.toContain('Jo Bloggs');
  });

  it('rotates at 1 MB, keeping the last three files, each 0600', () => {
    const logs = join(tempDir(), 'logs');
    const live = join(logs, INCIDENT_LOG_FILE);
    const rotated = (n: number) => `${live}.${n}`;
    writeIncident(logs, entry('FIRST'));
    for (let round = 1; round <= INCIDENT_LOG_KEEP + 1; round++) {
      // Fill the live file to the brim (as a long run of incidents would), then log one more.
      writeFileSync(live, `${'x'.repeat(INCIDENT_LOG_MAX_BYTES - 10)}\nround ${round}\n`);
      writeIncident(logs, entry(`ROUND${round}`));
      expect(readFileSync(live, 'utf8')).toContain(`ROUND${round}`);
      expect(statSync(live).size).toBeLessThan(1000);
      expect(readFileSync(rotated(1), 'utf8')).toContain(`round ${round}`);
    }
    // Rounds 4, 3 and 2 are kept; round 1's file was dropped.
    expect([1, 2, 3].map((n) => readFileSync(rotated(n), 'utf8').trim().split('\n').at(-1))).toEqual(['round 4', 'round 3', 'round 2']);
    expect(existsSync(rotated(INCIDENT_LOG_KEEP + 1))).toBe(false);
    if (process.platform !== 'win32') for (const path of [live, rotated(1)]) expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('never throws when the log cannot be written', () => {
    const blocker = join(tempDir(), 'not-a-folder');
    writeFileSync(blocker, '');
    expect(() => writeIncident(blocker, entry('NOWHERE'))).not.toThrow();
  });
});
