// The process the crash test kills. It runs the build in dist/ (see test/support/child-dist.ts), unlocks
// the store, then makes audited writes through the dispatcher as fast as it can, alternating between a
// new organisation and a note on a case; after each call has committed it writes one line to stdout:
//   {"ready":true,"pid":N}                      once unlocked
//   {"op":"organisations.add","id":N}           after each commit
//   {"paused":"2:after","noteId":N}             see CONCORDAT_TEST_SEAL_PAUSE below
//   {"error":{...}}                             if anything is refused (the parent fails the test)
//   node proving-crash-child.mjs DATA_DIR CASE_ID TAG MARKER
// Every closed-only note's body carries MARKER, so the parent can look for it in the open store's pages.
// The passphrase comes from CONCORDAT_TEST_USERNAME / CONCORDAT_TEST_PASSPHRASE, never argv.
//
// CONCORDAT_TEST_SEAL_PAUSE=STEP:PHASE stops the child in the middle of the first reconciliation that
// follows a closed-only note (sealClosedContent, src/store/closed-store.ts): in its transaction number STEP
// (1 the closed database's: copy the note's body there; 2 the open store's: blank its row), with its work
// done but not committed (PHASE `during`) or just after its commit (`after`, so 2:after is between the
// blanking and the WAL checkpoint). The child then says where it is and blocks,
// for the parent to kill it there rather than at a random moment.
/* global process */
import { writeSync } from 'node:fs';
import { Host } from '../../dist/src/host/host.js';
import { dispatch } from '../../dist/src/dispatch/dispatcher.js';

const [dataDir, caseId, tag, marker] = process.argv.slice(2);
// writeSync: the acknowledgement is in the pipe before the next write starts, so a kill can only ever
// lose an acknowledgement of a write that committed, never acknowledge one that did not.
const say = (message) => writeSync(1, `${JSON.stringify(message)}\n`);

const host = new Host(dataDir);
const unlocked = await dispatch(host, 'session.unlock', {
  username: process.env.CONCORDAT_TEST_USERNAME,
  passphrase: process.env.CONCORDAT_TEST_PASSPHRASE,
});
if (!unlocked.ok) {
  say({ error: unlocked.error });
  process.exit(1);
}

/** Counts the transactions of one closed-only note's call: the first is the call's own, the next ones the reconciliation's. */
const pauseAt = /^([12]):(during|after)$/.exec(process.env.CONCORDAT_TEST_SEAL_PAUSE ?? '');
let armed = false;
let transactions = 0;
let noteId = null;
if (pauseAt) {
  const step = Number(pauseAt[1]);
  const phase = pauseAt[2];
  const db = host.vault.db;
  const transactionNow = db.transactionNow.bind(db);
  const stop = () => {
    say({ paused: `${step}:${phase}`, noteId });
    // Blocks the thread (and so the connection) where it is until the parent's SIGKILL.
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  };
  db.transactionNow = async (work) => {
    const index = armed ? transactions++ : -1;
    if (index === 0) {
      const value = await transactionNow(work);
      noteId = value?.note?.id ?? null;
      return value;
    }
    if (index !== step) return transactionNow(work);
    if (phase === 'during') {
      return transactionNow(async (sql) => {
        const value = await work(sql);
        stop();
        return value;
      });
    }
    const value = await transactionNow(work);
    stop();
    return value;
  };
}
say({ ready: true, pid: process.pid });

for (let i = 0; ; i += 1) {
  const note = i % 2 === 1;
  // Every other note is closed-only: its body moves to the closed database after the commit, so a kill
  // can land in the middle of that move too.
  const closedOnly = i % 4 === 1;
  armed = pauseAt !== null && closedOnly;
  transactions = 0;
  const result = note
    ? await dispatch(host, 'cases.addNote', {
        caseId: Number(caseId),
        body: closedOnly ? `${tag} note ${i}: ${marker} seen with the PPU's subject` : `${tag} note ${i}: visited, no answer at the door`,
        closedOnly,
      })
    : await dispatch(host, 'organisations.add', { name: `${tag} organisation ${i}`, statutory: i % 4 === 0 });
  armed = false;
  if (!result.ok) {
    say({ error: result.error });
    process.exit(1);
  }
  say(note ? { op: 'cases.addNote', id: result.value.note.id } : { op: 'organisations.add', id: result.value.organisation.id });
}
