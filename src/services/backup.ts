// Backups as the app and the command line see them: a job per host that makes or checks a backup beside the
// session (the store stays in use), the audit checks a copy must pass, and the reminder settings.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { appendAuditEntry, auditHashAt, auditHead, verifyAuditLog, type AuditHead } from '../audit/log.js';
import { ConcordatError, isConcordatError } from '../contract/errors.js';
import { backupManifestSchema, type BackupJobView, type BackupManifestView } from '../contract/ops/backup.js';
import type { Host, UnlockedSession } from '../host/host.js';
import {
  DEFAULT_REMINDER_DAYS,
  loadBackupSettings,
  recordBackupMade,
  saveBackupSettings,
  type BackupSettingsRow,
} from '../store/backup-settings.js';
import {
  createBackup,
  readBackupHeader,
  requireKeyOfBackup,
  restoreBackup,
  verifyBackup,
  type BackupManifest,
  type BackupProgress,
} from '../vault/backup.js';
import type { Sql } from '../vault/database.js';
import { unsealBackupKeys, type Credential } from '../vault/vault.js';
import type { Handler, PublicHandler } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const IDLE: BackupJobView = {
  state: 'idle',
  kind: null,
  phase: null,
  progress: 0,
  file: null,
  manifest: null,
  sha256: null,
  bytes: null,
  error: null,
  startedAt: null,
  finishedAt: null,
};

interface Job {
  view: BackupJobView;
  /** Settles when the job has finished, whichever way. */
  finished: Promise<void>;
}

type JobKind = 'create' | 'verify';

/** One job of each kind per host (a check may run while a backup is being made); status shows the latest. */
const jobs = new WeakMap<Host, Partial<Record<JobKind, Job>>>();

function latest(host: Host): Job | undefined {
  const { create, verify } = jobs.get(host) ?? {};
  if (!create || !verify) return create ?? verify;
  return (create.view.startedAt ?? '') > (verify.view.startedAt ?? '') ? create : verify;
}

/** The host's current or last job of a kind; the command line awaits `finished`. */
export function backupJob(host: Host, kind: JobKind): Job | undefined {
  return jobs.get(host)?.[kind];
}

function setJob(host: Host, kind: JobKind, job: Job | undefined): void {
  jobs.set(host, { ...jobs.get(host), [kind]: job });
}

/** The manifest as the contract shows it; a manifest that does not fit is a damaged backup. */
export function manifestView(manifest: BackupManifest): BackupManifestView {
  const parsed = backupManifestSchema.safeParse(manifest);
  if (!parsed.success) throw new ConcordatError('BACKUP_CORRUPT', "The backup's manifest is incomplete.", { field: 'file' });
  return parsed.data;
}

export interface AnchorReport {
  anchor: AuditHead;
  /** 'present': the chain holds it; 'behind': the copy ends before it; 'differs': another entry stands there. */
  finding: 'present' | 'behind' | 'differs';
}

/**
 * The audit checks on a backup's copy: the chain verifies from its first entry and ends exactly at the head
 * the manifest recorded; each anchor the user holds (a head taken from an export) is looked up.
 */
export function auditChecks(
  manifest: BackupManifest,
  anchors: readonly AuditHead[] = [],
  reports: AnchorReport[] = [],
  { refuseDiffering = false }: { refuseDiffering?: boolean } = {},
) {
  return async (sql: Sql): Promise<void> => {
    const view = manifestView(manifest);
    const result = await verifyAuditLog(sql, view.storeId);
    if (!result.intact) {
      throw new ConcordatError(
        'BACKUP_CORRUPT',
        `The audit chain inside the backup breaks at entry ${result.brokenAt}: ${result.reason}.`,
        {
          field: 'file',
        },
      );
    }
    const head = result.head;
    if ((head?.seq ?? null) !== (view.auditHead?.seq ?? null) || (head?.hash ?? null) !== (view.auditHead?.hash ?? null)) {
      throw new ConcordatError(
        'BACKUP_CORRUPT',
        `The audit log inside the backup ends at entry ${head?.seq ?? 0}; its manifest says ${view.auditHead?.seq ?? 0}.`,
        { field: 'file' },
      );
    }
    for (const anchor of anchors) {
      const hash = await auditHashAt(sql, anchor.seq);
      const finding = hash === null ? 'behind' : hash === anchor.hash ? 'present' : 'differs';
      // A history that contradicts a head the user holds is not restored (a copy merely behind it is, and reported).
      if (finding === 'differs' && refuseDiffering) {
        throw new ConcordatError(
          'AUDIT_TAMPERED',
          `Entry ${anchor.seq} in the backup is not the one the export you hold recorded: its audit log was rewritten. Nothing was restored.`,
          { field: 'anchor' },
        );
      }
      reports.push({ anchor, finding });
    }
  };
}

function progressFraction(progress: BackupProgress): number {
  return progress.total > 0 ? Math.max(0, Math.min(1, progress.done / progress.total)) : 0;
}

function errorView(err: unknown): { code: string; message: string } {
  if (isConcordatError(err) && err.code !== 'INTERNAL') return { code: err.code, message: err.message };
  if (err instanceof Error && err.name === 'AbortError')
    return { code: 'LOCKED', message: 'The store was locked before the job finished.' };
  return { code: 'INTERNAL', message: 'The job failed; nothing was written. Check that the folder is writable and has room.' };
}

/** Reserves the host's one job slot (inside the dispatcher's section, so two calls cannot both get it). */
function reserve(host: Host, kind: JobKind, file: string): BackupJobView {
  if (backupJob(host, kind)?.view.state === 'running') {
    throw new ConcordatError('CONFLICT', `A backup ${kind === 'create' ? '' : 'check '}is already running; wait for it to finish.`);
  }
  const view: BackupJobView = { ...IDLE, state: 'running', kind, file, startedAt: new Date().toISOString() };
  setJob(host, kind, { view, finished: Promise.resolve() });
  return view;
}

function run(host: Host, view: BackupJobView, work: (signal: AbortSignal, onProgress: (p: BackupProgress) => void) => Promise<void>): void {
  const abort = new AbortController();
  const onLocked = () => abort.abort();
  host.once('locked', onLocked);
  const onProgress = (p: BackupProgress) => {
    view.phase = p.phase;
    view.progress = progressFraction(p);
  };
  const finished = work(abort.signal, onProgress).then(
    () => {
      view.state = 'done';
      view.progress = 1;
    },
    (err: unknown) => {
      view.state = 'failed';
      view.error = errorView(err);
    },
  );
  setJob(host, view.kind ?? 'create', {
    view,
    finished: finished.finally(() => {
      host.off('locked', onLocked);
      view.finishedAt = new Date().toISOString();
    }),
  });
}

function backupFileName(now: Date): string {
  return `concordat-backup-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}.cbak`;
}

function requireAbsolute(path: string, field: string): string {
  if (!isAbsolute(path)) throw new ConcordatError('VALIDATION', `${field} must be an absolute path`, { field });
  return path;
}

export const create: Handler<'backup.create'> = async (call, input) => {
  const { host, vault, session, sql } = call;
  const settings = await loadBackupSettings(sql);
  const out = input.out
    ? requireAbsolute(input.out, 'out')
    : settings.folder
      ? join(settings.folder, backupFileName(new Date()))
      : (() => {
          throw new ConcordatError('VALIDATION', 'out is required: give a file, or set a backup folder first', { field: 'out' });
        })();
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
    throw new ConcordatError('VALIDATION', `out: the folder ${dirname(out)} does not exist`, { field: 'out' });
  }
  if (existsSync(out)) throw new ConcordatError('CONFLICT', `${out} already exists; a backup never overwrites a file.`, { field: 'out' });
  const view = reserve(host, 'create', out);
  call.onRollback(() => setJob(host, 'create', undefined));
  call.note({ entityId: vault.storeId, details: { phase: 'started', file: out } });
  call.afterCommit(() =>
    run(host, view, (signal, onProgress) => makeBackup(host, session, call.justification, out, view, signal, onProgress)),
  );
  return { file: out, started: true };
};

async function makeBackup(
  host: Host,
  session: UnlockedSession,
  justification: string | null,
  out: string,
  view: BackupJobView,
  signal: AbortSignal,
  onProgress: (p: BackupProgress) => void,
): Promise<void> {
  const vault = host.vault;
  if (!vault?.isUnlocked) throw new ConcordatError('LOCKED', 'The store was locked before the backup could start.');
  const { user } = session;
  const written = await createBackup(vault.backupSource(), out, {
    describe: async (sql) => ({ auditHead: await auditHead(sql), createdBy: { username: user.username } }),
    onProgress,
    signal,
  });
  view.manifest = manifestView(written.manifest);
  view.sha256 = written.sha256;
  view.bytes = written.bytes;
  // The file exists now: its entry and the reminder's date commit together, after the snapshot.
  await vault.db.transaction(async (sql) => {
    await appendAuditEntry(sql, vault.storeId, {
      actor: { userId: user.id, username: user.username, organisation: user.organisation, role: user.role },
      kind: 'export',
      operation: 'backup.create',
      entityType: 'store',
      entityId: vault.storeId,
      justification,
      outcome: 'ok',
      details: {
        phase: 'done',
        file: out,
        sha256: written.sha256,
        bytes: written.bytes,
        auditHeadSeq: view.manifest?.auditHead?.seq ?? null,
        queueHeldMs: Math.round(written.exclusiveMs * 10) / 10,
        snapshot: written.snapshot,
        snapshotMs: Math.round(written.snapshotMs),
        describeMs: Math.round(written.describeMs),
      },
    });
    await recordBackupMade(sql, written.manifest.createdAt, out);
  });
  // In the background, as after a consultation: the session goes on beside it, and a synchronous fsync on
  // the main thread here, behind the backup's own gigabytes, froze every window (bench/backup).
  await host.writeCheckpointExclusive({ inBackground: true });
}

export const verify: Handler<'backup.verify'> = async (call, input) => {
  const { host, vault } = call;
  const file = requireAbsolute(input.file, 'file');
  const view = reserve(host, 'verify', file);
  call.onRollback(() => setJob(host, 'verify', undefined));
  call.note({ entityId: vault.storeId, details: { file } });
  call.afterCommit(() =>
    run(host, view, async (signal, onProgress) => {
      if (!vault.isUnlocked) throw new ConcordatError('LOCKED', 'The store was locked before the check could start.');
      const { masterKey, closed } = vault.backupSource();
      // A backup made before a rotation is under a key this session does not hold: said so, not called changed.
      try {
        requireKeyOfBackup(file, masterKey);
      } catch (err) {
        masterKey.fill(0);
        closed?.key.fill(0);
        throw err;
      }
      const manifest = await verifyBackup(file, async () => ({ master: masterKey, closed: closed?.key ?? null }), {
        check: async (sql) => {
          signal.throwIfAborted();
          await auditChecks(await manifestOf(file))(sql);
        },
        onProgress,
      });
      view.manifest = manifestView(manifest);
    }),
  );
  return { file, started: true };
};

/** The manifest as the file states it: trusted only once the check that uses it has authenticated the file. */
async function manifestOf(file: string): Promise<BackupManifest> {
  return readBackupHeader(file).header.manifest;
}

export const status: PublicHandler<'backup.status'> = async (host) => {
  const session = host.vault?.isUnlocked ? host.session : null;
  if (!session) throw new ConcordatError('LOCKED', 'The store is locked: unlock it first.');
  // Only a manager can start a job; anyone else has none to see.
  if (session.user.role !== 'manager') return { ...IDLE, reminder: null };
  const db = host.vault!.db;
  const { overdue, lastBackupAt, reminderDays } = settingsView(await db.exclusive(() => loadBackupSettings(db)));
  return { ...structuredClone(latest(host)?.view ?? IDLE), reminder: { overdue, lastBackupAt, reminderDays } };
};

function settingsView(row: BackupSettingsRow, now = Date.now()) {
  const last = row.lastBackupAt ? Date.parse(row.lastBackupAt) : NaN;
  return { ...row, overdue: !(now - last < row.reminderDays * DAY_MS) };
}

export const settings: Handler<'backup.settings'> = async ({ sql }) => settingsView(await loadBackupSettings(sql));

export const configure: Handler<'backup.configure'> = async ({ sql, note }, input) => {
  const folder = input.folder === null || input.folder === '' ? null : requireAbsolute(input.folder, 'folder');
  await saveBackupSettings(sql, { folder, reminderDays: input.reminderDays ?? DEFAULT_REMINDER_DAYS });
  note({ details: { folder: folder !== null, reminderDays: input.reminderDays } });
  return settingsView(await loadBackupSettings(sql));
};

/** For the command line: checks a backup file with a passphrase or the recovery key, no store needed. */
export function verifyBackupFile(file: string, credential: Credential, anchors: readonly AuditHead[] = []) {
  const reports: AnchorReport[] = [];
  return verifyWithReports(file, credential, anchors, reports).then((manifest) => ({ manifest: manifestView(manifest), anchors: reports }));
}

async function verifyWithReports(file: string, credential: Credential, anchors: readonly AuditHead[], reports: AnchorReport[]) {
  const manifest = await manifestOf(file);
  return verifyBackup(file, (keyFile) => unsealBackupKeys(keyFile, credential), { check: auditChecks(manifest, anchors, reports) });
}

/**
 * For the command line: restores into an empty folder, after every check has passed. Each anchor (a head taken
 * from an export) is looked up in the copy: one the copy's log ends before is reported with the result; one
 * that another entry stands at refuses the restore.
 */
export async function restoreBackupFile(file: string, dataDir: string, credential: Credential, anchors: readonly AuditHead[] = []) {
  const reports: AnchorReport[] = [];
  const manifest = await manifestOf(file);
  const restored = await restoreBackup(file, dataDir, (keyFile) => unsealBackupKeys(keyFile, credential), {
    check: auditChecks(manifest, anchors, reports, { refuseDiffering: true }),
  });
  return { manifest: manifestView(restored), anchors: reports };
}
