// How long a small durable write waits on the disk while other work runs (bench/backup): a worker thread
// appends 4 KiB to a file in the given folder and fdatasyncs it, over and over, as a WAL commit or the key
// file's write does. Its own thread, synchronous calls: it takes nothing from the main thread or libuv's
// thread pool, so what it measures is the file system's wait (a journal commit stuck behind other files'
// writeback), not the app's queues.
import { Worker } from 'node:worker_threads';

export interface FsyncSample {
  /** When the write started, in ms since the epoch (performance.timeOrigin + now, comparable across threads). */
  at: number;
  ms: number;
}

const WORKER = `
const { openSync, writeSync, fdatasyncSync, ftruncateSync, closeSync, rmSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const fd = openSync(workerData.path, 'w+', 0o600);
const page = Buffer.alloc(4096, 1);
let stopped = false;
let writes = 0;
parentPort.on('message', () => (stopped = true));
const tick = () => {
  if (stopped) {
    closeSync(fd);
    rmSync(workerData.path, { force: true });
    parentPort.close();
    return;
  }
  if (writes++ % 256 === 0) ftruncateSync(fd, 0);
  const start = performance.now();
  writeSync(fd, page, 0, page.length, null);
  fdatasyncSync(fd);
  parentPort.postMessage({ at: performance.timeOrigin + start, ms: performance.now() - start });
  setTimeout(tick, workerData.everyMs);
};
tick();
`;

/** Starts the probe writing `<folder>/.fsync-probe` every `everyMs`; `stop` ends it and returns every sample. */
export function startFsyncProbe(folder: string, everyMs = 50): { stop(): Promise<FsyncSample[]> } {
  const samples: FsyncSample[] = [];
  const worker = new Worker(WORKER, { eval: true, workerData: { path: `${folder}/.fsync-probe`, everyMs } });
  worker.on('message', (sample: FsyncSample) => samples.push(sample));
  const exited = new Promise<void>((resolve, reject) => {
    worker.once('exit', () => resolve());
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      await exited;
      return samples;
    },
  };
}
