// bench/upgrade: the first unlock of a store made by older code, as the app runs it (session.unlock through
// the dispatcher), timed step by step from the vault's own upgrade progress (the whole-file check, each
// migration of the store and of the closed database, the move of closed-only content), wall and CPU time
// of the whole process (SQLite's threads included), then the background check the writes wait for.
//
//   node dist/bench/upgrade.js --store=DIR [--user=NAME --passphrase=TEXT]
//
// DIR is a data folder (concordat.db, concordat.keys, …) and is UPGRADED IN PLACE: give it a copy, e.g. of
// a store bench/cases kept (`cp -r /tmp/kept-store /tmp/copy && … --store=/tmp/copy/encrypted`). Not in
// run-all: it needs a store older than this code.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dispatch } from '../src/dispatch/dispatcher.js';
import { Host } from '../src/host/host.js';
import { KDF_FLOOR } from '../src/vault/slot-crypto.js';
import type { UpgradeProgress } from '../src/vault/upgrade-progress.js';
import { MANAGER } from '../test/support/partnership.js';

const { values } = parseArgs({ options: { store: { type: 'string' }, user: { type: 'string' }, passphrase: { type: 'string' } } });
if (!values.store) throw new Error('--store=DIR is required (a copy: it is upgraded in place)');

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const cpuSeconds = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
};
const line = (label: string, wall: number, cpu: number) => console.log(`| ${label} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${load()} |`);

let running: { label: string; at: number; cpu: number } | null = null;
const finishStep = () => {
  if (running) line(running.label, (performance.now() - running.at) / 1000, cpuSeconds() - running.cpu);
  running = null;
};
const onUpgradeProgress = (p: UpgradeProgress) => {
  if (p.done !== null) return;
  finishStep();
  running = { label: `${p.step} of ${p.steps}: ${p.stage} ${p.name}`, at: performance.now(), cpu: cpuSeconds() };
};

console.log(`load average at start: ${load()}`);
console.log('| step | wall (s) | CPU (s) | load average after |');
console.log('| --- | --- | --- | --- |');
const host = new Host(values.store, { kdf: { ...KDF_FLOOR }, onUpgradeProgress });
const started = performance.now();
const cpuStarted = cpuSeconds();
const unlocked = await dispatch(host, 'session.unlock', {
  username: values.user ?? MANAGER.username,
  passphrase: values.passphrase ?? MANAGER.passphrase,
});
finishStep();
if (!unlocked.ok) throw new Error(`unlock refused: ${JSON.stringify(unlocked.error)}`);
line('the whole unlock (session.unlock)', (performance.now() - started) / 1000, cpuSeconds() - cpuStarted);
const checkFrom = performance.now();
const checkCpu = cpuSeconds();
await host.vault!.integrity.passed();
line(
  `the check after unlock, which writes wait for (${host.vault!.integrity.paths.length} file(s))`,
  (performance.now() - checkFrom) / 1000,
  cpuSeconds() - checkCpu,
);
await dispatch(host, 'session.lock', {});
await host.close();
