// Backups: make one while working (with a progress bar), see its manifest, check a backup file, set the
// backup folder and the reminder, and how to restore (from the command line, into an empty folder).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupJobView, BackupManifestView } from '../../src/contract/ops/backup.js';
import type { OutputOf } from '../../src/contract/operations.js';
import { Button } from '../components/Button.js';
import { TextField } from '../components/form.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { PageHeading } from '../components/PageHeading.js';
import { SummaryList } from '../components/SummaryList.js';
import { Table } from '../components/Table.js';
import { formatDateTime } from '../lib/format.js';
import { useOperationForm } from '../lib/use-operation-form.js';
import { useSession } from '../session.js';

type Settings = OutputOf<'backup.settings'>;
const POLL_MS = 250;

export function Backup() {
  const { call } = useSession();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [job, setJob] = useState<BackupJobView | null>(null);
  const [out, setOut] = useState('');
  const [checkFile, setCheckFile] = useState('');
  const [folder, setFolder] = useState('');
  const [days, setDays] = useState('7');
  const [saved, setSaved] = useState(false);
  const polling = useRef<ReturnType<typeof setTimeout> | null>(null);

  const loadSettings = useCallback(async () => {
    const result = await call('backup.settings', {});
    if (result.ok) {
      setSettings(result.value);
      setFolder(result.value.folder ?? '');
      setDays(String(result.value.reminderDays));
    }
  }, [call]);

  const poll = useCallback(async () => {
    const result = await call('backup.status', {});
    if (!result.ok) return;
    setJob(result.value);
    if (result.value.state === 'running') polling.current = setTimeout(() => void poll(), POLL_MS);
    else if (result.value.kind === 'create') void loadSettings();
  }, [call, loadSettings]);

  useEffect(() => {
    void loadSettings();
    void poll();
    return () => {
      if (polling.current) clearTimeout(polling.current);
    };
  }, [loadSettings, poll]);

  const create = useOperationForm('backup.create', { ids: { out: 'backup-out' }, fallback: 'out' });
  const verify = useOperationForm('backup.verify', { ids: { file: 'check-file' }, fallback: 'file' });
  const configure = useOperationForm('backup.configure', {
    ids: { folder: 'backup-folder', reminderDays: 'reminder-days' },
    fallback: 'folder',
  });

  const running = job?.state === 'running';
  const startCreate = create.onSubmit(async () => {
    const sent = await create.send(out.trim() ? { out: out.trim() } : {});
    if (sent.ok) void poll();
  });
  const startVerify = verify.onSubmit(async () => {
    const sent = await verify.send({ file: checkFile.trim() });
    if (sent.ok) void poll();
  });
  const saveSettings = configure.onSubmit(async () => {
    setSaved(false);
    const reminderDays = Number(days);
    const sent = await configure.send(
      { folder: folder.trim() || null, reminderDays: Number.isInteger(reminderDays) ? reminderDays : Number.NaN },
      { reminderDays: /^\d+$/.test(days.trim()) ? undefined : 'Enter a whole number of days' },
    );
    if (sent.ok) {
      setSettings(sent.value);
      setSaved(true);
    }
  });

  return (
    <>
      <PageHeading caption="Store">Backups</PageHeading>
      {settings?.overdue && (
        <NotificationBanner id="backup-overdue" heading={overdueText(settings)}>
          <p className="govuk-body">A backup is a copy of the whole store, still encrypted, that you keep away from this laptop.</p>
        </NotificationBanner>
      )}
      {settings && (
        <SummaryList
          rows={[
            { key: 'Last backup', value: settings.lastBackupAt ? formatDateTime(settings.lastBackupAt) : 'Never' },
            { key: 'Last backup file', value: settings.lastBackupFile ?? 'None' },
            { key: 'Backup folder', value: settings.folder ?? 'Not set' },
            { key: 'Reminder after', value: `${settings.reminderDays} days` },
          ]}
        />
      )}

      <JobStatus job={job} />

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <form noValidate onSubmit={startCreate} aria-labelledby="make-backup-title">
            <h2 className="govuk-heading-m" id="make-backup-title">
              Make a backup
            </h2>
            {create.summary}
            <TextField
              id="backup-out"
              label="Save the backup as"
              hint={
                settings?.folder
                  ? `A full file path. Leave it empty to save into the backup folder (${settings.folder}).`
                  : 'A full file path, for example on a network share or an encrypted USB drive. The file must not exist yet.'
              }
              width="full"
              value={out}
              onChange={setOut}
              error={create.errors['backup-out']}
            />
            <Button type="submit" disabled={create.busy || running}>
              Back up now
            </Button>
          </form>

          <form noValidate onSubmit={startVerify} aria-labelledby="check-backup-title">
            <h2 className="govuk-heading-m" id="check-backup-title">
              Check a backup file
            </h2>
            <p className="govuk-body">
              Checks the whole file without restoring it: that no byte has changed, every page, the audit chain and the counts in its
              manifest. A backup made before the store&apos;s key was last rotated is checked from the command line instead.
            </p>
            {verify.summary}
            <TextField
              id="check-file"
              label="Backup file"
              hint="A full file path"
              width="full"
              value={checkFile}
              onChange={setCheckFile}
              error={verify.errors['check-file']}
            />
            <Button type="submit" variant="secondary" disabled={verify.busy || running}>
              Check backup
            </Button>
          </form>

          <form noValidate onSubmit={saveSettings} aria-labelledby="backup-settings-title">
            <h2 className="govuk-heading-m" id="backup-settings-title">
              Backup settings
            </h2>
            {saved && <NotificationBanner type="success" heading="Backup settings saved" focus id="settings-saved" />}
            {configure.summary}
            <TextField
              id="backup-folder"
              label="Backup folder"
              hint="A full folder path on a network share or an encrypted USB drive. Leave it empty for none."
              width="full"
              value={folder}
              onChange={setFolder}
              error={configure.errors['backup-folder']}
            />
            <TextField
              id="reminder-days"
              label="Remind me when the last backup is older than (days)"
              inputMode="numeric"
              width="3"
              value={days}
              onChange={setDays}
              error={configure.errors['reminder-days']}
            />
            <Button type="submit" variant="secondary" disabled={configure.busy}>
              Save settings
            </Button>
          </form>

          <h2 className="govuk-heading-m">Restoring a backup</h2>
          <p className="govuk-body">
            A backup is restored from the command line, into a new or empty folder: nothing that exists is ever overwritten. Every check
            runs first, and the restore stops if one fails.
          </p>
          <pre className="app-code" tabIndex={0} aria-label="Restore command">
            concordat backup restore FILE --data-dir NEW-FOLDER --user YOUR-NAME
          </pre>
          <p className="govuk-body">
            Use the passphrase that was yours when the backup was made, or the recovery key (<code>--recovery</code> instead of{' '}
            <code>--user</code>). Then point Concordat at the new folder. <code>concordat backup verify FILE</code> runs the same checks
            without restoring.
          </p>
          <p className="govuk-body">
            If you hold an export made since the backup, add its “Audit log head at export” as <code>--anchor SEQ:HASH</code> (once for each
            export). A restored store whose audit log ends before that head is reported: the work recorded after the backup is not in it. A
            backup holding a different entry at that place is refused, and nothing is restored.
          </p>
        </div>
      </div>
    </>
  );
}

function overdueText(settings: Settings): string {
  return settings.lastBackupAt
    ? `The last backup is more than ${settings.reminderDays} days old`
    : 'No backup of this store has been made yet';
}

function JobStatus({ job }: { job: BackupJobView | null }) {
  if (!job || job.state === 'idle') return null;
  const what = job.kind === 'verify' ? 'Checking the backup' : 'Making the backup';
  const percent = Math.round(job.progress * 100);
  return (
    <section aria-labelledby="backup-job-title" className="govuk-!-margin-bottom-6">
      <h2 className="govuk-heading-m" id="backup-job-title">
        {job.kind === 'verify' ? 'Backup check' : 'Backup'}
      </h2>
      {job.state === 'running' && (
        <>
          <label className="govuk-label" htmlFor="backup-progress">
            {what}: {percent}%
          </label>
          <progress id="backup-progress" className="app-progress" max={100} value={percent} />
          <p className="govuk-body-s">You can go on working while this runs.</p>
        </>
      )}
      {job.state === 'done' && (
        <NotificationBanner
          type="success"
          id="backup-done"
          focus
          heading={job.kind === 'verify' ? 'The backup file is intact' : 'The backup has been made'}
        >
          <p className="govuk-body">{job.file}</p>
          {job.sha256 && <p className="govuk-body-s">SHA-256 {job.sha256}</p>}
        </NotificationBanner>
      )}
      {job.state === 'failed' && (
        <div className="govuk-error-summary" role="alert" tabIndex={-1} id="backup-failed">
          <h2 className="govuk-error-summary__title">{job.kind === 'verify' ? 'The backup file was refused' : 'The backup failed'}</h2>
          <div className="govuk-error-summary__body">
            <p className="govuk-body">{job.error?.message}</p>
          </div>
        </div>
      )}
      <div aria-live="polite" className="govuk-visually-hidden">
        {job.state === 'running' ? '' : job.state === 'done' ? `${what}: done` : `${what}: failed`}
      </div>
      {job.manifest && <Manifest manifest={job.manifest} />}
    </section>
  );
}

function Manifest({ manifest }: { manifest: BackupManifestView }) {
  const tables = Object.entries(manifest.tables).map(([name, rows]) => ({ name, rows }));
  return (
    <>
      <h3 className="govuk-heading-s">Manifest</h3>
      <SummaryList
        rows={[
          { key: 'Store', value: manifest.storeId },
          { key: 'Made', value: formatDateTime(manifest.createdAt) },
          { key: 'Made by', value: manifest.createdBy.username },
          { key: 'Schema version', value: String(manifest.schemaVersion) },
          {
            key: 'Audit head',
            value: manifest.auditHead ? (
              <>
                Entry {manifest.auditHead.seq}
                <br />
                <code className="app-hash">{manifest.auditHead.hash}</code>
              </>
            ) : (
              'Empty log'
            ),
          },
        ]}
      />
      <Table
        caption="Rows per table in the backup"
        columns={[
          { header: 'Table', cell: (t) => t.name },
          { header: 'Rows', cell: (t) => t.rows.toLocaleString('en-GB'), numeric: true },
        ]}
        rows={tables}
        rowKey={(t) => t.name}
      />
    </>
  );
}
