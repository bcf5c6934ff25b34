// A second Concordat process for the process-lock tests. It runs the build in dist/ (npm test builds
// first; test/support/child-dist.ts rebuilds when dist/ is older than src/), because a child process
// cannot load the TypeScript sources that vitest transforms in its own process.
//   node child-open-store.mjs DATA_DIR once   open, unlock, report, close
//   node child-open-store.mjs DATA_DIR hold   open, unlock, report, then keep the store until SIGTERM
// The passphrase comes from CONCORDAT_TEST_USERNAME / CONCORDAT_TEST_PASSPHRASE, never argv.
/* global process, setInterval, clearInterval */
import { Host } from '../../dist/src/host/host.js';
import { dispatch } from '../../dist/src/dispatch/dispatcher.js';

const [dataDir, mode = 'once'] = process.argv.slice(2);
const host = new Host(dataDir);
let keepAlive;
// Installed before the report goes out: the parent may signal as soon as it reads it.
process.on('SIGTERM', () => {
  clearInterval(keepAlive);
  host.close().finally(() => process.exit(0));
});
const result = await dispatch(host, 'session.unlock', {
  username: process.env.CONCORDAT_TEST_USERNAME,
  passphrase: process.env.CONCORDAT_TEST_PASSPHRASE,
});
if (result.ok && mode === 'hold') keepAlive = setInterval(() => undefined, 60_000);
process.stdout.write(`${JSON.stringify(result.ok ? { ok: true, pid: process.pid } : { ok: false, error: result.error })}\n`);
if (!keepAlive) await host.close();
