// Crash durability: a child process (test/support/proving-crash-child.mjs) makes audited writes in a
// loop and acknowledges each commit; it is killed with SIGKILL at a random moment, again and again on
// the same store. After every kill this process opens the store as the app would (the dead child's lock
// is taken over), and: the unlock raises no tamper warning (a crash is not tampering), PRAGMA
// integrity_check and cipher_integrity_check pass, the audit chain verifies against its checkpoint,
// every acknowledged write is there, and every write is there exactly when its audit entry is.
// The store has its closed database: every other note is closed-only, so kills also land while its body
// moves across (sealClosedContent), and some rounds stop the child at each step of that move on purpose.
// After every kill the manager's unlock finishes the move: no closed-only note is lost, and its text is in
// no page or WAL frame of the open store (decrypted with the open store's key, as an insider would).
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { ensureBuilt, REPO_ROOT } from '../support/child-dist.js';
import { expectIntegrity } from '../support/proving-store.js';
import { decryptedPages, looksDecrypted } from '../support/decrypted-pages.js';
import { call, createCase, createPerson, credentials, MANAGER } from '../support/partnership.js';
import { initialisedStore, newHost } from '../support/store.js';
import { paths, rawKeyHex } from '../vault/raw.js';

const CHILD = join(REPO_ROOT, 'test', 'support', 'proving-crash-child.mjs');
/** Kills while the child is writing (the figure the issue asks for), and kills during its start-up on top. */
const KILLS_WHILE_WRITING = Number(process.env.PROVING_CRASH_KILLS ?? 50);
const KILLS_DURING_STARTUP = Math.ceil(KILLS_WHILE_WRITING / 5);
/**
 * Where the child stops in the reconciliation after a closed-only note, to be killed there: each of its
 * transactions (one per file: the closed database's copy, then the open store's blanking) with the work done
 * and not committed, and just after it committed (2:after is between the blanking and the WAL checkpoint).
 * See test/support/proving-crash-child.mjs.
 */
const SEAL_PAUSES = ['1:during', '1:after', '2:during', '2:after'] as const;
type SealPause = (typeof SEAL_PAUSES)[number];

type Ack = { op: 'organisations.add' | 'cases.addNote'; id: number };

interface Run {
  acks: Ack[];
  ready: boolean;
  /** From spawn to the ready line. */
  readyMs: number | null;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
  /** Where a seal round's child stopped, and the closed-only note it was sealing. */
  paused: { at: string; noteId: number | null } | null;
}

const randomBetween = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/**
 * Starts the child and SIGKILLs it `delayMs` after it reports ready (or after it starts, for a start-up
 * kill; or, with `pause`, as soon as it has stopped there). Resolves once the process is gone, with every
 * acknowledgement it managed to write.
 */
function runAndKill(
  dataDir: string,
  caseId: number,
  tag: string,
  marker: string,
  delayMs: number,
  from: 'ready' | 'spawn' | 'seal',
  pause?: SealPause,
): Promise<Run> {
  const child = spawn(process.execPath, [CHILD, dataDir, String(caseId), tag, marker], {
    env: {
      ...process.env,
      CONCORDAT_TEST_USERNAME: MANAGER.username,
      CONCORDAT_TEST_PASSPHRASE: MANAGER.passphrase,
      CONCORDAT_TEST_SEAL_PAUSE: pause ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = performance.now();
  const run: Run = { acks: [], ready: false, readyMs: null, signal: null, code: null, stderr: '', paused: null };
  let buffered = '';
  let timer: NodeJS.Timeout | undefined;
  const kill = () => {
    timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  };
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const message = JSON.parse(line) as Ack | { ready: true } | { error: unknown } | { paused: string; noteId: number | null };
      if ('ready' in message) {
        run.ready = true;
        run.readyMs = performance.now() - started;
        if (from === 'ready') kill();
        // A seal round that never reaches its pause fails on the kill (no paused line), not by hanging.
        if (from === 'seal') timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      } else if ('paused' in message) {
        run.paused = { at: message.paused, noteId: message.noteId };
        clearTimeout(timer);
        child.kill('SIGKILL');
      } else if ('error' in message) {
        run.stderr += `refused: ${JSON.stringify(message.error)}`;
      } else {
        run.acks.push(message);
      }
    }
  });
  if (from === 'spawn') kill();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      Object.assign(run, { code, signal });
      resolve(run);
    });
  });
}

describe('crash durability', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it(`survives ${KILLS_WHILE_WRITING} SIGKILLs mid-write, ${KILLS_DURING_STARTUP} during start-up and ${SEAL_PAUSES.length} in the closed database's reconciliation, losing no write`, async () => {
    const { host, dataDir } = await initialisedStore();
    const caseId = await createCase(host, [await createPerson(host)]);
    // The two keys, as an insider holding each would use them on the files (no rotation happens here).
    const [openKey, closedKey] = host.vault!.rawKeyPragmas().map((k) => rawKeyHex(k.pragma));
    expect(closedKey, 'the store has a closed database').toBeDefined();
    await call(host, 'session.lock');
    await host.close();
    const marker = `Zqsealed${Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join('')}`;
    const inPages = (file: string, key: string, text: string) => {
      const pages = decryptedPages(file, key);
      expect(looksDecrypted(pages), file).toBe(true);
      return [text, text.toLowerCase()].some((t) => pages.some((page) => page.includes(t)));
    };
    let sealedBeforeUnlock = 0;
    let strayKeyFiles = 0;

    const acknowledged: Ack[] = [];
    let survived = 0;
    let startupKillsBeforeReady = 0;
    let emptyLocks = 0;
    // Start-up kills land anywhere from spawn to just past the unlock: taking the lock, deriving the key,
    // opening and checking the database, writing the unlock entry and the checkpoint.
    let startupMs = 600;
    const order = [
      ...Array<'ready'>(KILLS_WHILE_WRITING).fill('ready'),
      ...Array<'spawn'>(KILLS_DURING_STARTUP).fill('spawn'),
      ...SEAL_PAUSES,
    ]
      .map((from) => ({ from, key: Math.random() }))
      .sort((a, b) => a.key - b.key)
      .map((k) => k.from);

    for (const [round, kind] of order.entries()) {
      const from = kind === 'ready' || kind === 'spawn' ? kind : 'seal';
      const pause = from === 'seal' ? (kind as SealPause) : undefined;
      const delay = from === 'ready' ? randomBetween(20, 200) : from === 'spawn' ? randomBetween(0, Math.round(startupMs * 1.1)) : 0;
      const tag = `crash round ${round}`;
      const run = await runAndKill(dataDir, caseId, tag, marker, delay, from, pause);
      const label = `round ${round} (${pause ? `stopped at seal step ${pause}` : `${from} + ${delay} ms`}, ${run.acks.length} acks)`;
      expect(run.signal, `${label}: the child was meant to be killed, but exited: ${run.stderr}`).toBe('SIGKILL');
      if (from !== 'spawn') expect(run.ready, `${label}: never got going: ${run.stderr}`).toBe(true);
      if (pause) {
        expect(run.paused, `${label}: never reached its pause: ${run.stderr}`).toEqual({ at: pause, noteId: expect.any(Number) });
        // Killed mid-move, with the note committed: once step 1 has committed, its body is in the closed
        // database (so the kill really was inside the reconciliation) ...
        const step = Number(pause[0]);
        const copied = step > 1 || pause === '1:after';
        expect(
          inPages(paths(dataDir).closedDatabase, closedKey!, `${tag} note 1: ${marker}`),
          `${label}: copied to the closed database`,
        ).toBe(copied);
        // ... and the open store's pages still hold it somewhere (its row, or the WAL frames before the
        // checkpoint), for the unlock below to clear. Counted rather than required: an automatic checkpoint
        // may have overwritten those frames meanwhile.
        if (inPages(paths(dataDir).database, openKey!, `${tag} note 1: ${marker}`)) sealedBeforeUnlock += 1;
      }
      if (from === 'spawn' && !run.ready) startupKillsBeforeReady += 1;
      if (run.readyMs !== null) startupMs = run.readyMs;
      acknowledged.push(...run.acks);
      // The dead child's lock is left behind (once it got that far): the next opener takes it over.
      if (run.ready) expect(existsSync(paths(dataDir).lock), label).toBe(true);

      // A kill while the key file was being written leaves its temporary copy: the next opening removes it.
      const temporaryKeyFiles = readdirSync(dataDir).filter((f) => /^\.concordat\.keys\.[0-9a-f]{12}\.tmp$/.test(f));
      strayKeyFiles += temporaryKeyFiles.length;
      let after = newHost(dataDir);
      let attempt = await dispatch(after, 'session.unlock', credentials(MANAGER));
      if (!attempt.ok && attempt.error.code === 'STORE_IN_USE' && readFileSync(paths(dataDir).lock, 'utf8') === '') {
        // Killed between creating its lock file and writing its pid into it: the lock is taken over
        // once it is older than any write could take (moved into the past here rather than waited for).
        emptyLocks += 1;
        await after.close();
        utimesSync(paths(dataDir).lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
        after = newHost(dataDir);
        attempt = await dispatch(after, 'session.unlock', credentials(MANAGER));
      }
      if (!attempt.ok) throw new Error(`${label}: the store did not open: ${JSON.stringify(attempt.error)}`);
      const unlocked = attempt.value;
      for (const f of temporaryKeyFiles) expect(existsSync(join(dataDir, f)), `${label}: ${f} left after the unlock`).toBe(false);
      expect(unlocked.tamperWarning, `${label}: a crash is not tampering`).toBeNull();
      const db = after.vault!.db;
      await expectIntegrity(db, label);
      expect(await call(after, 'audit.verify'), label).toMatchObject({ intact: true });

      const orgIds = new Set(
        (await db.all<{ id: number }>("SELECT id FROM organisations WHERE name LIKE 'crash round %'")).map((r) => r.id),
      );
      const noteIds = new Set((await db.all<{ id: number }>("SELECT id FROM case_notes WHERE body LIKE 'crash round %'")).map((r) => r.id));
      const lost = acknowledged.filter((a) => !(a.op === 'organisations.add' ? orgIds : noteIds).has(a.id));
      expect(lost, `${label}: acknowledged but missing`).toEqual([]);
      // A change and its audit entry commit together or not at all, whenever the kill came.
      const audited = async (op: string) =>
        new Set(
          (
            await db.all<{ id: string }>("SELECT entity_id AS id FROM audit_log WHERE operation = ? AND outcome = 'ok' AND username = ?", [
              op,
              MANAGER.username,
            ])
          ).map((r) => Number(r.id)),
        );
      expect(await audited('organisations.add'), label).toEqual(orgIds);
      expect(await audited('cases.addNote'), label).toEqual(noteIds);
      // Nothing is reachable that was not committed: the search index agrees with the notes table.
      // Closed-only notes are indexed in the closed database, the rest in the open store: each note in one.
      const indexed = await db.get<{ n: number }>(
        `SELECT (SELECT count(*) FROM notes_fts WHERE notes_fts MATCH '"crash" "round"')
           + (SELECT count(*) FROM closed_notes_fts WHERE closed_notes_fts MATCH '"crash" "round"') AS n`,
      );
      expect(indexed?.n, label).toBe(noteIds.size);
      // And a closed-only note's body is in the closed database, not blank in both (no half-done move).
      const blank = await db.get<{ n: number }>(
        "SELECT count(*) AS n FROM main.case_notes WHERE closed_only = 1 AND body = '' AND sealed = 0",
      );
      expect(blank?.n, label).toBe(0);
      // The manager's unlock finished any move the kill interrupted: every closed-only note is sealed, its
      // text read back from the closed database, and none of it is left in any page or WAL frame of the
      // open store.
      const closedNotes = await db.get<{ stubs: number; whole: number; unsealed: number }>(
        `SELECT (SELECT count(*) FROM main.case_notes WHERE closed_only = 1) AS stubs,
                (SELECT count(*) FROM case_notes WHERE closed_only = 1 AND body LIKE ?) AS whole,
                (SELECT count(*) FROM main.case_notes WHERE closed_only = 1 AND (sealed = 0 OR body <> '')) AS unsealed`,
        [`% ${marker} %`],
      );
      expect(closedNotes!.whole, `${label}: closed-only notes readable whole`).toBe(closedNotes!.stubs);
      expect(closedNotes!.unsealed, `${label}: closed-only notes left unsealed`).toBe(0);
      if (run.paused?.noteId) {
        const note = await db.get<{ body: string; sealed: number }>(
          'SELECT n.body, m.sealed FROM case_notes AS n JOIN main.case_notes AS m ON m.id = n.id WHERE n.id = ?',
          [run.paused.noteId],
        );
        expect(note, `${label}: the note being sealed when killed`).toEqual({ body: expect.stringContaining(marker), sealed: 1 });
      }
      expect(
        inPages(paths(dataDir).database, openKey!, marker),
        `${label}: closed-only text in the open store after a key holder's unlock`,
      ).toBe(false);

      await call(after, 'session.lock');
      await after.close();
      survived += 1;
    }

    const byOp = (op: Ack['op']) => acknowledged.filter((a) => a.op === op).length;
    console.log(
      `crash: ${survived} of ${order.length} SIGKILLs survived (${KILLS_WHILE_WRITING} mid-write, ${KILLS_DURING_STARTUP} during start-up, ${startupKillsBeforeReady} of them before the unlock finished, ` +
        `${SEAL_PAUSES.length} stopped inside the closed database's reconciliation, ${sealedBeforeUnlock} of those with the note's text still in the open store's pages before the unlock); ` +
        `${acknowledged.length} acknowledged writes (${byOp('organisations.add')} organisations, ${byOp('cases.addNote')} notes), all present with their audit entries; ` +
        `no tamper warning after any kill; ${emptyLocks} empty lock files left by a kill mid-lock, taken over; ` +
        `${strayKeyFiles} temporary key files left by a kill mid-write, removed at the next unlock`,
    );
    expect(survived).toBe(order.length);
    expect(acknowledged.length).toBeGreaterThan(KILLS_WHILE_WRITING);
    // The check above that the open store holds no closed-only text can fail: it found that text before the unlock.
    expect(sealedBeforeUnlock).toBeGreaterThan(0);
    // Nothing is left behind but the two databases and their WALs: the stray temporary key files kills
    // left were removed at the next opening.
    const stray = readdirSync(dataDir).filter((f) => !/^concordat(-closed)?\.(db|db-wal|db-shm)$|^concordat\.keys$/.test(f));
    expect(stray).toEqual([]);
  }, 600_000);

  it('a lock file left empty by a crash between creating and writing it does not lock the store out for good', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    await host.close();
    const lock = paths(dataDir).lock;

    // Fresh, it could be a process caught mid-write: refused.
    writeFileSync(lock, '');
    const early = newHost(dataDir);
    expect(await dispatch(early, 'session.unlock', credentials(MANAGER))).toMatchObject({ ok: false, error: { code: 'STORE_IN_USE' } });
    await early.close();
    expect(readFileSync(lock, 'utf8')).toBe('');

    // A minute on, no write takes that long: the lock is abandoned and is taken over.
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, aMinuteAgo, aMinuteAgo);
    const later = newHost(dataDir);
    expect(await call(later, 'session.unlock', credentials(MANAGER))).toMatchObject({ tamperWarning: null });
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid });
  });
});
