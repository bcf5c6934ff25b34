// People administration for the partnership manager: users and their roles, member organisations, and
// the recovery key. Users here are partnership staff, never case subjects.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ErrorShape } from '../../src/contract/errors.js';
import type { OutputOf } from '../../src/contract/operations.js';
import type { User } from '../../src/contract/common.js';

type Organisation = OutputOf<'organisations.list'>['organisations'][number];
import { operations } from '../../src/contract/operations.js';
import { ROLES, type Role } from '../../src/contract/operation.js';
import { ROLE_LABELS } from '../../src/domain/access.js';
import { useSession } from '../session.js';
import { Button, ButtonGroup } from '../components/Button.js';
import { Dialog } from '../components/Dialog.js';
import { Checkbox, ErrorSummary, Radios, Select, TextField, type FieldErrors } from '../components/form.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { PageHeading } from '../components/PageHeading.js';
import { PassphraseField, passphraseError } from '../components/PassphraseField.js';
import { RecoveryKey } from '../components/RecoveryKey.js';
import { Table } from '../components/Table.js';
import { Tag } from '../components/Tag.js';
import { errorsFromResult, errorsFromZod, type Labels } from '../lib/form-errors.js';
import { formatDate } from '../lib/format.js';
import { RefusalMessage } from './RefusalMessage.js';

export function Admin() {
  const { call, changeJustification } = useSession();
  const [users, setUsers] = useState<User[] | null>(null);
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    const [u, o] = await Promise.all([call('users.list', { includeRemoved: true }), call('organisations.list', {})]);
    if (!u.ok) return setError(u.error);
    if (!o.ok) return setError(o.error);
    setUsers(u.value.users);
    setOrganisations(o.value.organisations);
  }, [call]);
  useEffect(() => {
    void load();
  }, [load]);

  const changed = (message: string) => {
    setDone(message);
    void load();
  };

  return (
    <>
      <PageHeading>People administration</PageHeading>
      {done && <NotificationBanner type="success" heading={done} focus id="admin-done" />}
      {error && <RefusalMessage error={error} onSetContext={() => void changeJustification().then((ok) => { if (ok) void load(); })} onRetry={() => void load()} />}
      {users && (
        <>
          <UsersSection users={users} onChanged={changed} />
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-half"><AddUser organisations={organisations} onAdded={changed} /></div>
            <div className="govuk-grid-column-one-half">
              <OrganisationsSection organisations={organisations} onAdded={changed} />
              <RecoveryKeySection />
            </div>
          </div>
        </>
      )}
    </>
  );
}

function UsersSection({ users, onChanged }: { users: User[]; onChanged: (message: string) => void }) {
  const { call, user: me } = useSession();
  const [removing, setRemoving] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    if (!removing) return;
    const result = await call('users.remove', { username: removing.username });
    const name = removing.displayName;
    setRemoving(null);
    if (!result.ok) return setError(result.error.message);
    setError(null);
    onChanged(`${name} has been removed: their passphrase no longer opens the store`);
  };
  return (
    <section className="app-section" aria-labelledby="users-title">
      <h2 className="govuk-heading-m" id="users-title">Users</h2>
      {error && <ErrorSummary errors={{ 'users-title': error }} />}
      <Table caption={<span className="govuk-visually-hidden">Users of this store</span>} rows={users} rowKey={(u) => u.id}
        columns={[
          { header: 'Name', cell: (u) => u.displayName },
          { header: 'User name', cell: (u) => <code className="app-code">{u.username}</code> },
          { header: 'Role', cell: (u) => ROLE_LABELS[u.role] },
          { header: 'Organisation', cell: (u) => <>{u.organisation}{!u.statutory && <> <Tag colour="grey">Non-statutory</Tag></>}</> },
          { header: 'Added', cell: (u) => formatDate(u.createdAt) },
          { header: <span className="govuk-visually-hidden">Actions</span>, cell: (u) => u.removedAt ? <Tag colour="grey">Removed {formatDate(u.removedAt)}</Tag>
            : u.id === me.id ? <span className="app-muted">You</span>
            : <button type="button" className="app-link-button" onClick={() => setRemoving(u)}>Remove<span className="govuk-visually-hidden"> {u.displayName}</span></button> },
        ]} />
      {removing && (
        <Dialog id="remove-user" title={`Remove ${removing.displayName}?`} onCancel={() => setRemoving(null)}>
          <p className="govuk-body">Their key slot is deleted, so their passphrase stops opening the store. The audit log keeps what they did.</p>
          <ButtonGroup>
            <Button variant="warning" onClick={() => void remove()}>Remove {removing.displayName}</Button>
            <Button variant="secondary" onClick={() => setRemoving(null)} autoFocus>Cancel</Button>
          </ButtonGroup>
        </Dialog>
      )}
    </section>
  );
}

const USER_LABELS: Labels = { displayName: 'Full name', username: 'User name', role: 'Role', organisationId: 'Organisation', passphrase: 'First passphrase' };

function AddUser({ organisations, onAdded }: { organisations: Organisation[]; onAdded: (message: string) => void }) {
  const { call } = useSession();
  const empty = { displayName: '', username: '', role: '' as Role | '', organisationId: '', passphrase: '' };
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof empty) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { displayName: form.displayName, username: form.username, role: form.role, organisationId: Number(form.organisationId) || 0, passphrase: form.passphrase };
    const parsed = operations['users.add'].input.safeParse(input);
    const found: Record<string, string> = parsed.success ? {} : { ...errorsFromZod(parsed.error, USER_LABELS, 'user') };
    if (!form.organisationId) found['user-organisationId'] = 'Choose the organisation';
    if (!form.role) found['user-role'] = 'Choose the role';
    const weak = passphraseError(form.passphrase, 'First passphrase');
    if (weak) found['user-passphrase'] = weak;
    setErrors(found);
    if (Object.keys(found).length || !parsed.success) return;
    setBusy(true);
    const result = await call('users.add', parsed.data);
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromResult({ ...result.error, ...(result.error.field ? { field: `user.${result.error.field}` } : {}) }, Object.fromEntries(Object.entries(USER_LABELS).map(([k, v]) => [`user.${k}`, v])), 'user-username'));
    setForm(empty);
    onAdded(`${result.value.user.displayName} can now unlock Concordat as ${result.value.user.username}`);
  };
  return (
    <form noValidate onSubmit={(e) => void submit(e)} className="app-section" aria-labelledby="add-user-title">
      <h2 className="govuk-heading-m" id="add-user-title">Add a user</h2>
      <ErrorSummary errors={errors} />
      <TextField id="user-displayName" label={USER_LABELS.displayName} value={form.displayName} onChange={set('displayName')} error={errors['user-displayName']} />
      <TextField id="user-username" label={USER_LABELS.username} hint="Letters, digits, dots and dashes. For example, pc.jones" width="20" value={form.username} onChange={set('username')} error={errors['user-username']} autoComplete="off" />
      <Radios id="user-role" legend="Role" small value={form.role || null} onChange={set('role')} error={errors['user-role']}
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], hint: r === 'non_statutory' ? 'Never sees closed-meeting-only cases or notes' : undefined }))} />
      <Select id="user-organisationId" label="Organisation" value={form.organisationId} onChange={set('organisationId')} error={errors['user-organisationId']}
        options={[{ value: '', label: 'Choose an organisation' }, ...organisations.map((o) => ({ value: String(o.id), label: `${o.name}${o.statutory ? '' : ' (non-statutory)'}` }))]} />
      <PassphraseField id="user-passphrase" label="First passphrase" value={form.passphrase} onChange={set('passphrase')} error={errors['user-passphrase']} />
      <p className="govuk-hint">Give it to them in person. They should change it the first time they unlock.</p>
      <Button type="submit" disabled={busy}>Add user</Button>
    </form>
  );
}

function OrganisationsSection({ organisations, onAdded }: { organisations: Organisation[]; onAdded: (message: string) => void }) {
  const { call } = useSession();
  const [name, setName] = useState('');
  const [statutory, setStatutory] = useState<'yes' | 'no' | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found['org-name'] = 'Enter the name of the organisation';
    if (!statutory) found['org-statutory'] = 'Say whether it is a statutory partner';
    setErrors(found);
    if (Object.keys(found).length) return;
    const result = await call('organisations.add', { name, statutory: statutory === 'yes' });
    if (!result.ok) return setErrors({ 'org-name': result.error.message });
    setName('');
    setStatutory(null);
    onAdded(`${result.value.organisation.name} added`);
  };
  return (
    <section className="app-section" aria-labelledby="orgs-title">
      <h2 className="govuk-heading-m" id="orgs-title">Organisations</h2>
      <Table caption={<span className="govuk-visually-hidden">Member organisations</span>} rows={organisations} rowKey={(o) => o.id}
        columns={[
          { header: 'Name', cell: (o) => o.name },
          { header: 'Partner', cell: (o) => (o.statutory ? 'Statutory' : 'Non-statutory') },
        ]} />
      <form noValidate onSubmit={(e) => void submit(e)} className="app-inline-form">
        <ErrorSummary errors={errors} />
        <TextField id="org-name" label="Add an organisation" labelSize="s" value={name} onChange={setName} error={errors['org-name']} />
        <Radios id="org-statutory" legend="Statutory partner?" small inline value={statutory} onChange={setStatutory} error={errors['org-statutory']}
          options={[{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }]} />
        <Button type="submit" variant="secondary">Add organisation</Button>
      </form>
    </section>
  );
}

function RecoveryKeySection() {
  const { call } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [key, setKey] = useState<string | null>(null);
  const [stored, setStored] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const rotate = async () => {
    setConfirming(false);
    const result = await call('store.rotateRecoveryKey', {});
    if (!result.ok) return setError(result.error.message);
    setKey(result.value.recoveryKey);
  };
  return (
    <section className="app-section" aria-labelledby="recovery-title">
      <h2 className="govuk-heading-m" id="recovery-title">Recovery key</h2>
      {!key && (
        <>
          <p className="govuk-body">Replace the recovery key if it may have been seen by someone else, or lost. The old key stops working at once.</p>
          {error && <p className="govuk-error-message">{error}</p>}
          <Button variant="warning" onClick={() => setConfirming(true)}>Replace the recovery key</Button>
        </>
      )}
      {confirming && (
        <Dialog id="rotate-recovery" title="Replace the recovery key?" onCancel={() => setConfirming(false)}>
          <p className="govuk-body">The current recovery key will stop working. You will be shown the new one once.</p>
          <ButtonGroup>
            <Button variant="warning" onClick={() => void rotate()}>Replace it</Button>
            <Button variant="secondary" onClick={() => setConfirming(false)} autoFocus>Cancel</Button>
          </ButtonGroup>
        </Dialog>
      )}
      {key && (
        <form noValidate onSubmit={(e) => {
          e.preventDefault();
          if (!stored) return setError('Confirm that you have stored the new recovery key');
          setKey(null);
          setStored(false);
          setError(undefined);
        }}>
          <RecoveryKey recoveryKey={key} />
          <Checkbox id="new-recovery-stored" label="I have stored the new recovery key somewhere safe" checked={stored} onChange={setStored} error={error} />
          <Button type="submit">Done</Button>
        </form>
      )}
    </section>
  );
}
