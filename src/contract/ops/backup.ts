// Backups: making one while the store is in use, checking one, and the reminder when the last is too old.
// Making and checking run as a job beside the session (the store stays usable); `backup.status` reports it.
import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { classified } from '../fields.js';
import { emptyInput } from '../common.js';

/** An absolute path on the machine running Concordat (checked there: the renderer has no path rules). */
const filePath = classified(z.string().trim().min(1, { message: 'is required' }).max(4096), 'safe');

export const auditHeadSchema = z.object({ seq: z.number().int(), hash: z.string() });

export const backupManifestSchema = z.object({
  storeId: z.string(),
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  /** Rows per table in the snapshot. */
  tables: z.record(z.string(), z.number().int()),
  auditHead: auditHeadSchema.nullable(),
  /** The user name only: the manifest is authenticated but not encrypted. */
  createdBy: z.object({ username: z.string() }),
});
export type BackupManifestView = z.infer<typeof backupManifestSchema>;

export const backupJobSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  kind: z.enum(['create', 'verify']).nullable(),
  phase: z.enum(['snapshot', 'writing', 'checking']).nullable(),
  /** Fraction done, 0 to 1. */
  progress: z.number().min(0).max(1),
  file: z.string().nullable(),
  manifest: backupManifestSchema.nullable(),
  sha256: z.string().nullable(),
  bytes: z.number().int().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type BackupJobView = z.infer<typeof backupJobSchema>;

export const MAX_REMINDER_DAYS = 365;

const settingsSchema = z.object({
  folder: z.string().nullable(),
  reminderDays: z.number().int(),
  lastBackupAt: z.string().nullable(),
  lastBackupFile: z.string().nullable(),
  /** No backup yet, or the last is older than reminderDays. */
  overdue: z.boolean(),
});

export const backupOperations = {
  'backup.create': defineOperation({
    summary:
      'Starts a backup of the whole store (still encrypted, with its key slots and a manifest, authenticated as a whole) into `out`, or into the backup folder. Follow it with backup.status.',
    input: z.object({ out: filePath.optional() }).strict(),
    output: z.object({ file: z.string(), started: z.literal(true) }),
    access: ['manager'],
    audit: { kind: 'export', entity: 'store' },
  }),
  'backup.verify': defineOperation({
    summary:
      "Starts checking a backup file without restoring it, with the open store's key: the whole-file tag, every page, the audit chain and the manifest's counts. Follow it with backup.status.",
    input: z.object({ file: filePath }).strict(),
    output: z.object({ file: z.string(), started: z.literal(true) }),
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'store' },
    // Checking a file reveals counts and hashes, nothing about a data subject.
    justification: false,
  }),
  'backup.status': defineOperation({
    summary:
      "The running or last backup job of this session (phase, progress, and when done the manifest) and whether a backup is overdue. A manager's only.",
    input: emptyInput,
    output: backupJobSchema.extend({
      /** Null for anyone but a manager. */
      reminder: z.object({ overdue: z.boolean(), lastBackupAt: z.string().nullable(), reminderDays: z.number().int() }).nullable(),
    }),
    // Polled several times a second while a job runs, so it is not an audited call; the handler requires a
    // manager's session itself and returns counts and hashes only.
    access: 'public',
    audit: null,
  }),
  'backup.settings': defineOperation({
    summary: 'The backup folder, the reminder period, and when the last backup was made.',
    input: emptyInput,
    output: settingsSchema,
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'store' },
    justification: false,
  }),
  'backup.configure': defineOperation({
    summary: 'Sets the backup folder (a network share or an encrypted USB drive) and after how many days a backup is overdue.',
    input: z
      .object({
        folder: filePath.nullable(),
        reminderDays: classified(z.number().int().min(1).max(MAX_REMINDER_DAYS), 'safe'),
      })
      .strict(),
    output: settingsSchema,
    access: ['manager'],
    audit: { kind: 'settings', entity: 'store' },
  }),
} as const;
