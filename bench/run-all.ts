// Runs every bench in its own node process, one after another (so none competes with another for the
// two cores), and writes their Markdown output with a description of the machine to bench/RESULTS.md.
// Arguments are passed on to each bench: `node dist/bench/run-all.js --quick` for a CI-sized run, which
// writes bench/RESULTS.quick.md instead so the committed figures are not replaced by small ones (CI runs
// that as a smoke check: figures printed, not asserted; a bench that crashes fails the run).
// `--only=unlock,cases` runs just those benches, `--skip=renderer` all but those.
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Database } from '../src/vault/database.js';
import { quick } from './support/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const FIRST = ['unlock.js', 'store.js', 'audit.js'];
/** Benches that measure a store someone gives them (`--store=DIR`), not one they make: run by hand only. */
const GIVEN_A_STORE = new Map([['upgrade.js', 'it upgrades a copy of a store made by older code, given with --store=DIR']]);

const listFlag = (name: string) => {
  const given = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return given === undefined ? null : new Set(given.split(',').map((b) => `${b.trim().replace(/\.js$/, '')}.js`));
};
const ONLY = listFlag('only');
const SKIP = listFlag('skip');
const OWN_FLAGS = /^--(out|only|skip)=/;

function benches(): string[] {
  const self = basename(fileURLToPath(import.meta.url));
  const found = readdirSync(here).filter((f) => f.endsWith('.js') && f !== self);
  for (const name of [...(ONLY ?? []), ...(SKIP ?? [])]) {
    if (!found.includes(name))
      throw new Error(
        `there is no bench called ${name.replace(/\.js$/, '')} (there are: ${found.map((f) => f.replace(/\.js$/, '')).join(', ')})`,
      );
  }
  const chosen = found.filter((f) => (ONLY === null || ONLY.has(f)) && !SKIP?.has(f) && !GIVEN_A_STORE.has(f));
  for (const [name, why] of GIVEN_A_STORE) process.stderr.write(`  … ${name.replace(/\.js$/, '')} not run here: ${why}\n`);
  return [...FIRST.filter((f) => chosen.includes(f)), ...chosen.filter((f) => !FIRST.includes(f)).sort()];
}

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; ms: number }> {
  const start = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(here, file), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout, ms: performance.now() - start }));
  });
}

async function sqlVersions(): Promise<{ cipher: string; sqlite: string }> {
  const db = await Database.open(':memory:', 'create');
  try {
    const cipher = await db.get<{ cipher_version: string }>('PRAGMA cipher_version');
    const sqlite = await db.get<{ v: string }>('SELECT sqlite_version() AS v');
    return { cipher: cipher?.cipher_version ?? 'unknown', sqlite: sqlite?.v ?? 'unknown' };
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !OWN_FLAGS.test(a));
  const out = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? join(repo, 'bench', quick ? 'RESULTS.quick.md' : 'RESULTS.md');
  const versions = await sqlVersions();
  const cpu = cpus();
  const machine = [
    `- Date: ${new Date().toISOString()}`,
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${platform()} ${release()}`,
    `- Node ${process.version}; SQLCipher ${versions.cipher} (SQLite ${versions.sqlite}) via @journeyapps/sqlcipher`,
    `- Command: \`node dist/bench/run-all.js${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}\`${quick ? ' (quick: CI-sized, not the reference figures)' : ''}`,
  ];
  const sections: string[] = [];
  let failed = 0;
  for (const file of benches()) {
    process.stderr.write(`\n== ${file}\n`);
    const result = await run(file, args);
    if (result.code !== 0) failed += 1;
    // A module that printed nothing and succeeded is a data or helper module, not a bench.
    if (result.code === 0 && result.stdout.trim() === '') continue;
    const status = result.code === 0 ? `${(result.ms / 1000).toFixed(1)} s` : `FAILED with exit code ${result.code}`;
    sections.push(`## ${file.replace(/\.js$/, '')} (\`node dist/bench/${file}\`, ${status})\n\n${result.stdout.trim()}\n`);
  }
  const document = [
    '# Concordat benchmarks',
    '',
    'Written by `npm run bench` (`node dist/bench/run-all.js` after a build). Each bench runs in its own process, one at a time, on real encrypted stores in temporary folders that are removed afterwards.',
    'Benchmarks print figures; they are not tests and nothing here fails on a slow machine.',
    '',
    '## Machine',
    '',
    ...machine,
    '',
    ...sections,
  ].join('\n');
  writeFileSync(out, document.endsWith('\n') ? document : `${document}\n`);
  process.stderr.write(`\nwrote ${out}\n`);
  if (failed) {
    process.stderr.write(`${failed} bench(es) failed\n`);
    process.exitCode = 1;
  }
}

await main();
