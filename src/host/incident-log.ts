// What an unforeseen failure leaves behind for whoever supports the installation: the caller is told only
// an incident id; this log, in the data folder's logs/, ties that id to the operation, the error's name
// and its stack frames. Never the message (a driver error may quote SQL or the values it was given),
// never the input, a key or case content. Written synchronously: it is rare, and must land even if the
// process is about to stop.
import { appendFileSync, chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const INCIDENT_LOG_FILE = 'concordat.log';
/** The live file is rotated once it would pass this size... */
export const INCIDENT_LOG_MAX_BYTES = 1024 * 1024;
/** ...into concordat.log.1 … .3; the oldest is dropped. */
export const INCIDENT_LOG_KEEP = 3;

/** Causes followed below the error itself (a wrapped driver error is usually one level down). */
const MAX_CAUSE_DEPTH = 3;
const MAX_FRAMES = 30;

export interface IncidentEntry {
  at: string;
  incidentId: string;
  operation: string;
  errors: { name: string; code?: string; frames: string[] }[];
}

/** Short and random: it names one entry in one folder's log, it is not a secret. */
export function newIncidentId(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}

/**
 * Name, code and stack frames of an error and its causes. The stack's first line repeats the message, so
 * only the `at …` lines are kept; a code is kept only if it looks like one (SQLITE_CONSTRAINT, ENOENT).
 */
export function describeError(err: unknown): IncidentEntry['errors'] {
  const out: IncidentEntry['errors'] = [];
  let current: unknown = err;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== undefined && current !== null; depth++) {
    if (!(current instanceof Error)) {
      out.push({ name: `thrown ${typeof current}`, frames: [] });
      break;
    }
    const code = (current as { code?: unknown }).code;
    const frames = (current.stack ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('at '))
      .slice(0, MAX_FRAMES);
    out.push({
      name: safeName(current.name),
      ...(typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? { code } : {}),
      frames,
    });
    current = current.cause;
  }
  return out;
}

/** An error's name is set by code, but a subclass could put anything there: keep it to an identifier. */
function safeName(name: string): string {
  return /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : 'Error';
}

/**
 * Appends one entry to `<logsDir>/concordat.log` (0600, folder 0700), rotating first if it would pass
 * 1 MB. Never throws: failing to log must not turn a failed call into a crash.
 */
export function writeIncident(logsDir: string, entry: IncidentEntry): void {
  try {
    mkdirSync(logsDir, { recursive: true, mode: 0o700 });
    const line = `${JSON.stringify(entry)}\n`;
    const live = join(logsDir, INCIDENT_LOG_FILE);
    if (existsSync(live) && statSync(live).size + Buffer.byteLength(line) > INCIDENT_LOG_MAX_BYTES) rotate(logsDir);
    appendFileSync(live, line, { mode: 0o600 });
    // appendFileSync's mode applies only when it creates the file; a file made by hand keeps its own.
    chmodSync(live, 0o600);
  } catch {
    // Nothing else to tell: the caller still gets its incident id.
  }
}

function rotate(logsDir: string): void {
  const path = (n: number) => join(logsDir, n === 0 ? INCIDENT_LOG_FILE : `${INCIDENT_LOG_FILE}.${n}`);
  rmSync(path(INCIDENT_LOG_KEEP), { force: true });
  for (let n = INCIDENT_LOG_KEEP - 1; n >= 0; n--) if (existsSync(path(n))) renameSync(path(n), path(n + 1));
}

/** Logs an unforeseen failure of `operation` under a new incident id, and returns the id. */
export function recordIncident(dataDir: string, operation: string, err: unknown): string {
  const incidentId = newIncidentId();
  writeIncident(join(dataDir, 'logs'), { at: new Date().toISOString(), incidentId, operation, errors: describeError(err) });
  return incidentId;
}
