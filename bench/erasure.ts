// bench/erasure: erasing one person (issue 19: 3) from a store of 1,000 and of 10,000 cases, through the
// dispatcher on the encrypted store: the preview (the erasure rolled back), the erasure itself (its
// transaction, then the WAL checkpoint and the VACUUM after the commit), and the compaction alone.
//
//   node dist/bench/erasure.js [--quick] [--small=N] [--large=N] [--runs=N]
//
// Each person erased is the only subject of one case, with two notes and a note about them on a case that
// stays (so the whole-store scan of free text has something to rewrite). The cases are the bulk loader's
// (test/support/partnership.ts), written straight into the store.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import { dispatch } from '../src/dispatch/dispatcher.js';
import { Host } from '../src/host/host.js';
import { compactAfterErasure } from '../src/store/erasure.js';
import { KDF_FLOOR } from '../src/vault/slot-crypto.js';
import { JUSTIFICATION, MANAGER, call, createCase, createPerson, seedBulkCases } from '../test/support/partnership.js';
import { fmt, median, progress, quick, size, table, tempDir } from './support/harness.js';

const SIZES = [size('small', 1_000, 200), size('large', 10_000, 1_000)];
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 3);

async function measure(cases: number): Promise<(string | number)[]> {
  const dataDir = join(tempDir('concordat-bench-erasure-'), 'store');
  const host = new Host(dataDir, { kdf: KDF_FLOOR });
  await call(host, 'store.init', MANAGER);
  await call(host, 'session.setJustification', { justification: JUSTIFICATION });
  progress(`erasure: loading ${fmt.int(cases)} cases`);
  await seedBulkCases(host, cases);
  const kept = await createCase(host, [await createPerson(host, { givenName: 'Kept', familyName: 'Subject', aliases: [], household: [] })]);
  const people: { id: number; name: string }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const givenName = `Erasable${String.fromCharCode(65 + i)}`;
    const familyName = `Benchperson${String.fromCharCode(65 + i)}`;
    const id = await createPerson(host, { givenName, familyName, aliases: [`Alias${i}x`], household: [] });
    const own = await createCase(host, [id]);
    await call(host, 'cases.addNote', { caseId: own, body: `${givenName} seen at the parade.` });
    await call(host, 'cases.addNote', { caseId: own, body: `Visited ${givenName} ${familyName}; no answer.` });
    await call(host, 'cases.addNote', { caseId: kept, body: `${givenName} ${familyName} was with them.` });
    people.push({ id, name: `${givenName} ${familyName}` });
  }
  const db = host.vault!.db;
  await db.exclusive(() => compactAfterErasure(db));
  const sizeBefore = statSync(join(dataDir, 'concordat.db')).size;

  const previews: number[] = [];
  const erasures: number[] = [];
  for (const person of people) {
    let start = performance.now();
    const preview = await dispatch(host, 'people.erasurePreview', { personId: person.id });
    previews.push(performance.now() - start);
    if (!preview.ok) throw new Error(`people.erasurePreview: ${preview.error.message}`);
    start = performance.now();
    const erased = await dispatch(host, 'people.erase', { personId: person.id, reason: 'Bench', confirmation: person.name });
    erasures.push(performance.now() - start);
    if (!erased.ok) throw new Error(`people.erase: ${erased.error.message}`);
  }
  const start = performance.now();
  await db.exclusive(() => compactAfterErasure(db));
  const compactMs = performance.now() - start;
  const sizeAfter = statSync(join(dataDir, 'concordat.db')).size;
  await host.close();
  return [
    fmt.int(cases),
    fmt.ms(median(previews)),
    fmt.ms(median(erasures)),
    fmt.ms(median(erasures) - compactMs),
    fmt.ms(compactMs),
    `${(sizeBefore / 2 ** 20).toFixed(1)} → ${(sizeAfter / 2 ** 20).toFixed(1)}`,
  ];
}

async function main(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const cases of SIZES) rows.push(await measure(cases));
  process.stdout.write(
    `### bench/erasure: erasing one person (the only subject of one case, named in a note on another), median of ${RUNS}${quick ? ' (quick)' : ''}\n\n`,
  );
  process.stdout.write(
    `${table(['cases in the store', 'preview ms', 'people.erase ms (all)', 'of which the transaction ms (≈)', 'checkpoint + VACUUM ms', 'file MiB (before → after)'], rows)}\n`,
  );
  process.stdout.write(
    '\nThe store runs with auto_vacuum NONE, so the compaction after an erasure is a full VACUUM: its time grows with the file, not with what was erased.\n',
  );
  process.exit(0);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
