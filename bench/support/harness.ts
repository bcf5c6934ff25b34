// What every bench shares: sizes from the command line or the environment, temp folders that are
// removed however the process ends, timing, and Markdown tables (run-all pastes them into RESULTS.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);

/** True for `--quick` or BENCH_QUICK=1: CI-sized runs that finish in seconds. */
export const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';

/**
 * A size: `--name=N` wins, then BENCH_NAME (upper case, dashes as underscores), then the quick or full default.
 * Accepts 1e6, 1_000_000 and 100k.
 */
export function size(name: string, full: number, quickDefault: number): number {
  const flag = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const env = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  const given = flag ?? env;
  if (given === undefined || given === '') return quick ? quickDefault : full;
  const text = given.trim().toLowerCase().replace(/_/g, '');
  const value = text.endsWith('k') ? Number(text.slice(0, -1)) * 1e3 : text.endsWith('m') ? Number(text.slice(0, -1)) * 1e6 : Number(text);
  if (!Number.isFinite(value) || value < 1) throw new Error(`--${name} must be a positive number, not ${given}`);
  return Math.round(value);
}

const folders = new Set<string>();
const removeAll = () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
};
process.on('exit', removeAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** A fresh folder under BENCH_DIR (default: the OS temp folder), removed when the process exits. */
export function tempDir(prefix = 'concordat-bench-'): string {
  const folder = mkdtempSync(join(process.env.BENCH_DIR || tmpdir(), prefix));
  folders.add(folder);
  return folder;
}

export function removeDir(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  folders.delete(folder);
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `work` `runs` times (after `warmup` unmeasured runs) and returns every duration in ms. */
export async function repeat(runs: number, work: () => Promise<unknown>, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(work)).ms);
  return times;
}

export const fmt = {
  ms: (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)),
  int: (n: number) => Math.round(n).toLocaleString('en-GB'),
  rate: (count: number, ms: number) => Math.round((count * 1000) / ms).toLocaleString('en-GB'),
  ratio: (a: number, b: number) => `${(a / b).toFixed(2)}×`,
};

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Output goes to stdout as Markdown; progress goes to stderr so RESULTS.md stays clean. */
export function progress(message: string): void {
  process.stderr.write(`  … ${message}\n`);
}
