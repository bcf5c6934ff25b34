// How responsive the bench's main thread stays while work runs beside it (bench/export, bench/backup): V8's
// event-loop delay, a probe timer's lateness, and, on Linux, how much of each gap between two probe ticks
// the thread spent on a CPU (its own blocking) and how much waiting for one (the machine's load).
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/**
 * The main thread's own time on a CPU and waiting for one, in ms (Linux: /proc/…/schedstat of the thread
 * whose id is the process's). On a loaded machine a late tick is mostly the thread waiting for a CPU, not
 * running: this tells the two apart. Null where there is no such file.
 */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
export function mainThreadSchedule(): { onCpu: number; waiting: number } | null {
  try {
    const [onCpu = '0', waiting = '0'] = readFileSync(SCHEDSTAT, 'utf8').split(' ');
    return { onCpu: Number(onCpu) / 1e6, waiting: Number(waiting) / 1e6 };
  } catch {
    return null;
  }
}

/** A gap between two probe ticks: its length, and the main thread's time on a CPU and waiting for one in it. */
export interface Gap {
  ms: number;
  onCpu: number;
  waiting: number;
}

/** The probe's findings over the ticks of one phase (see `watchMainThread`'s `phase`). */
export interface PhaseWatch {
  /** How late the probe ran, at most (ms). */
  probeMax: number;
  /** The most CPU time the main thread used between two ticks (its longest own block, at most). */
  mostOnCpu: number;
  longestGap: Gap;
  /** Wall time of the phase (ms), from its first tick to the first tick of the next. */
  wallMs: number;
  /** The process's CPU time (all threads, ms) over the same span. */
  cpuMs: number;
  /** The main thread's time on a CPU and waiting for one over the same span (ms). */
  onCpuMs: number;
  waitingMs: number;
}

const emptyPhase = (): PhaseWatch => ({
  probeMax: 0,
  mostOnCpu: 0,
  longestGap: { ms: 0, onCpu: 0, waiting: 0 },
  wallMs: 0,
  cpuMs: 0,
  onCpuMs: 0,
  waitingMs: 0,
});

/**
 * The main thread's responsiveness while work runs: V8's event-loop delay histogram (2 ms resolution)
 * and a `probeMs` interval that notes how late each tick is (the probe a window's input handler would
 * feel); between two ticks, how long the thread ran on a CPU (its own work: the most it can have blocked
 * input) and how long it waited for one (the machine's load). The RSS is sampled on each tick too (the
 * process's, so workers' heaps are in it). With `phase`, each gap is also counted under the phase named
 * as it ends (bench/backup: the backup job's phase), with the phase's wall, CPU and schedule times.
 */
export function watchMainThread({ probeMs = 10, phase }: { probeMs?: number; phase?: () => string } = {}) {
  const loop = performance.eventLoopUtilization();
  const histogram = monitorEventLoopDelay({ resolution: 2 });
  histogram.enable();
  let peakRss = process.memoryUsage().rss;
  const lateness: number[] = [];
  let expected = performance.now() + probeMs;
  let schedule = mainThreadSchedule();
  /** The most CPU time the main thread used between two ticks, and the longest gap with its split. */
  let mostOnCpu = 0;
  let longestGap: Gap = { ms: 0, onCpu: 0, waiting: 0 };
  let last = performance.now();
  let cpu = process.cpuUsage();
  const byPhase = new Map<string, PhaseWatch>();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = Math.max(0, now - expected);
    lateness.push(late);
    expected = now + probeMs;
    const next = mainThreadSchedule();
    const gap: Gap = { ms: now - last, onCpu: 0, waiting: 0 };
    if (schedule && next) {
      gap.onCpu = next.onCpu - schedule.onCpu;
      gap.waiting = next.waiting - schedule.waiting;
      mostOnCpu = Math.max(mostOnCpu, gap.onCpu);
      if (gap.ms > longestGap.ms) longestGap = gap;
    }
    if (phase) {
      const name = phase();
      const seen = byPhase.get(name) ?? emptyPhase();
      const used = process.cpuUsage(cpu);
      seen.probeMax = Math.max(seen.probeMax, late);
      seen.mostOnCpu = Math.max(seen.mostOnCpu, gap.onCpu);
      if (gap.ms > seen.longestGap.ms) seen.longestGap = gap;
      seen.wallMs += gap.ms;
      seen.cpuMs += (used.user + used.system) / 1000;
      seen.onCpuMs += gap.onCpu;
      seen.waitingMs += gap.waiting;
      byPhase.set(name, seen);
    }
    cpu = process.cpuUsage();
    schedule = next;
    last = now;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, probeMs);
  return {
    stop: async () => {
      await new Promise((resolve) => setTimeout(resolve, 2 * probeMs));
      clearInterval(timer);
      histogram.disable();
      const sorted = [...lateness].sort((a, b) => a - b);
      return {
        peakRss,
        /** Event-loop delay (ms): how late the histogram's 2 ms timer ran, the largest and the 99th percentile. */
        delayMax: histogram.max / 1e6,
        delayP99: histogram.percentile(99) / 1e6,
        /** How late the probe ran (ms): the largest and the 99th percentile. */
        probeMax: sorted.at(-1) ?? 0,
        probeP99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0,
        /** The event loop's active time (running callbacks, the probes' included) over the whole watch. */
        busyMs: performance.eventLoopUtilization(loop).active,
        /** Null where the thread's schedule cannot be read (not Linux). */
        mostOnCpu: schedule ? mostOnCpu : null,
        longestGap: schedule ? longestGap : null,
        byPhase,
      };
    },
  };
}
