// The process the crash test kills. It runs the build in dist/ (see test/support/child-dist.ts), unlocks
// the store, then makes audited writes through the dispatcher as fast as it can, alternating between a
// new organisation and a note on a case; after each call has committed it writes one line to stdout:
//   {"ready":true,"pid":N}                      once unlocked
//   {"op":"organisations.add","id":N}           after each commit
//   {"error":{...}}                             if anything is refused (the parent fails the test)
//   node proving-crash-child.mjs DATA_DIR CASE_ID TAG
// The passphrase comes from CONCORDAT_TEST_USERNAME / CONCORDAT_TEST_PASSPHRASE, never argv.
/* global process */
import { writeSync } from 'node:fs';
import { Host } from '../../dist/src/host/host.js';
import { dispatch } from '../../dist/src/dispatch/dispatcher.js';

const [dataDir, caseId, tag] = process.argv.slice(2);
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
say({ ready: true, pid: process.pid });

for (let i = 0; ; i += 1) {
  const note = i % 2 === 1;
  const result = note
    ? await dispatch(host, 'cases.addNote', {
        caseId: Number(caseId),
        body: `${tag} note ${i}: visited, no answer at the door`,
        // Every other note is closed-only: its body moves to the closed database after the commit, so a kill
        // can land in the middle of that move too.
        closedOnly: i % 4 === 1,
      })
    : await dispatch(host, 'organisations.add', { name: `${tag} organisation ${i}`, statutory: i % 4 === 0 });
  if (!result.ok) {
    say({ error: result.error });
    process.exit(1);
  }
  say(note ? { op: 'cases.addNote', id: result.value.note.id } : { op: 'organisations.add', id: result.value.organisation.id });
}
