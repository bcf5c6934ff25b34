// People administration for the partnership manager: users and their roles, member organisations, and
// the recovery key. Users here are partnership staff, never case subjects.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../src/contract/errors.js';
import type { InputOf, OutputOf } from '../../src/contract/operations.js';
import type { User } from '../../src/contract/common.js';
import { ROLES, type Role } from '../../src/contract/operation.js';
import { useSession } from '../session.js';
import { Button, ButtonGroup } from '../components/Button.js';
import { Dialog } from '../components/Dialog.js';
import { Checkbox, Radios, Select, TextField } from '../components/form.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { PageHeading } from '../components/PageHeading.js';
import { PassphraseField } from '../components/PassphraseField.js';
import { RecoveryKey } from '../components/RecoveryKey.js';
import { Table } from '../components/Table.js';
import { Tag } from '../components/Tag.js';
import { formatDate } from '../lib/format.js';
import { FIELD_LABELS, ROLE_LABELS } from '../lib/labels.js';
import { useOperationForm } from '../lib/use-operation-form.js';
import { LoadRefusal } from './RefusalMessage.js';

type Organisation = OutputOf<'organisations.list'>['organisations'][number];

export function Admin() {
  const { call } = useSession();
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
      {error && <LoadRefusal error={error} reload={load} />}
      {users && (
        <>
          <UsersSection users={users} onChanged={changed} />
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-half">
              <AddUser organisations={organisations} onAdded={changed} />
            </div>
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
  const { user: me } = useSession();
  const [removing, setRemoving] = useState<User | null>(null);
  // A refusal is about the list as a whole: it is shown under its heading.
  const form = useOperationForm('users.remove', {
    ids: { username: 'users-title' },
    fallback: 'username',
    refusal: (error) => ({ username: error.message }),
  });
  const remove = async () => {
    if (!removing) return;
    const name = removing.displayName;
    const sent = await form.send({ username: removing.username });
    setRemoving(null);
    if (sent.ok) onChanged(`${name} has been removed: their passphrase no longer opens the store`);
  };
  return (
    <section className="app-section" aria-labelledby="users-title">
      <h2 className="govuk-heading-m" id="users-title">
        Users
      </h2>
      {form.summary}
      <Table
        caption={<span className="govuk-visually-hidden">Users of this store</span>}
        rows={users}
        rowKey={(u) => u.id}
        columns={[
          { header: 'Name', cell: (u) => u.displayName },
          { header: 'User name', cell: (u) => <code className="app-code">{u.username}</code> },
          { header: 'Role', cell: (u) => ROLE_LABELS[u.role] },
          {
            header: 'Organisation',
            cell: (u) => (
              <>
                {u.organisation}
                {!u.statutory && (
                  <>
                    {' '}
                    <Tag colour="grey">Non-statutory</Tag>
                  </>
                )}
              </>
            ),
          },
          { header: 'Added', cell: (u) => formatDate(u.createdAt) },
          {
            header: <span className="govuk-visually-hidden">Actions</span>,
            cell: (u) =>
              u.removedAt ? (
                <Tag colour="grey">Removed {formatDate(u.removedAt)}</Tag>
              ) : u.id === me.id ? (
                <span className="app-muted">You</span>
              ) : (
                <button type="button" className="app-link-button" onClick={() => setRemoving(u)}>
                  Remove<span className="govuk-visually-hidden"> {u.displayName}</span>
                </button>
              ),
          },
        ]}
      />
      {removing && (
        <Dialog id="remove-user" title={`Remove ${removing.displayName}?`} onCancel={() => setRemoving(null)}>
          <p className="govuk-body">
            Their key slot is deleted, so their passphrase stops opening the store. The audit log keeps what they did.
          </p>
          <ButtonGroup>
            <Button variant="warning" disabled={form.busy} onClick={() => void remove()}>
              Remove {removing.displayName}
            </Button>
            <Button variant="secondary" onClick={() => setRemoving(null)} autoFocus>
              Cancel
            </Button>
          </ButtonGroup>
        </Dialog>
      )}
    </section>
  );
}

const USER_LABELS = FIELD_LABELS['users.add']!;
const NO_USER = { displayName: '', username: '', role: '' as Role | '', organisationId: '', passphrase: '' };

function AddUser({ organisations, onAdded }: { organisations: Organisation[]; onAdded: (message: string) => void }) {
  const [fields, setFields] = useState(NO_USER);
  const set = (key: keyof typeof NO_USER) => (value: string) => setFields((f) => ({ ...f, [key]: value }));
  const form = useOperationForm('users.add', {
    prefix: 'user',
    messages: { organisationId: 'Choose the organisation', role: 'Choose the role' },
    fallback: 'username',
  });
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ ...fields, organisationId: Number(fields.organisationId) || 0 } as InputOf<'users.add'>);
    if (!sent.ok) return;
    setFields(NO_USER);
    onAdded(`${sent.value.user.displayName} can now unlock Concordat as ${sent.value.user.username}`);
  });
  return (
    <form noValidate onSubmit={submit} className="app-section" aria-labelledby="add-user-title">
      <h2 className="govuk-heading-m" id="add-user-title">
        Add a user
      </h2>
      {form.summary}
      <TextField
        id="user-displayName"
        label={USER_LABELS.displayName}
        value={fields.displayName}
        onChange={set('displayName')}
        error={form.errors['user-displayName']}
      />
      <TextField
        id="user-username"
        label={USER_LABELS.username}
        hint="Letters, digits, dots and dashes. For example, pc.jones"
        width="20"
        value={fields.username}
        onChange={set('username')}
        error={form.errors['user-username']}
        autoComplete="off"
      />
      <Radios
        id="user-role"
        legend="Role"
        small
        value={fields.role || null}
        onChange={set('role')}
        error={form.errors['user-role']}
        options={ROLES.map((r) => ({
          value: r,
          label: ROLE_LABELS[r],
          hint: r === 'non_statutory' ? 'Never sees closed-meeting-only cases or notes' : undefined,
        }))}
      />
      <Select
        id="user-organisationId"
        label="Organisation"
        value={fields.organisationId}
        onChange={set('organisationId')}
        error={form.errors['user-organisationId']}
        options={[
          { value: '', label: 'Choose an organisation' },
          ...organisations.map((o) => ({ value: String(o.id), label: `${o.name}${o.statutory ? '' : ' (non-statutory)'}` })),
        ]}
      />
      <PassphraseField
        id="user-passphrase"
        label={USER_LABELS.passphrase!}
        value={fields.passphrase}
        onChange={set('passphrase')}
        error={form.errors['user-passphrase']}
      />
      <p className="govuk-hint">Give it to them in person. They should change it the first time they unlock.</p>
      <Button type="submit" disabled={form.busy}>
        Add user
      </Button>
    </form>
  );
}

function OrganisationsSection({ organisations, onAdded }: { organisations: Organisation[]; onAdded: (message: string) => void }) {
  const [name, setName] = useState('');
  const [statutory, setStatutory] = useState<'yes' | 'no' | null>(null);
  const form = useOperationForm('organisations.add', {
    prefix: 'org',
    messages: { name: 'Enter the name of the organisation' },
    fallback: 'name',
    refusal: (error) => ({ name: error.message }),
  });
  const submit = form.onSubmit(async () => {
    // Yes or no is a choice to make, not a default: the schema's boolean cannot tell "not chosen" from "no".
    const sent = await form.send(
      { name, statutory: statutory === 'yes' },
      { statutory: statutory ? undefined : 'Say whether it is a statutory partner' },
    );
    if (!sent.ok) return;
    setName('');
    setStatutory(null);
    onAdded(`${sent.value.organisation.name} added`);
  });
  return (
    <section className="app-section" aria-labelledby="orgs-title">
      <h2 className="govuk-heading-m" id="orgs-title">
        Organisations
      </h2>
      <Table
        caption={<span className="govuk-visually-hidden">Member organisations</span>}
        rows={organisations}
        rowKey={(o) => o.id}
        columns={[
          { header: 'Name', cell: (o) => o.name },
          { header: 'Partner', cell: (o) => (o.statutory ? 'Statutory' : 'Non-statutory') },
        ]}
      />
      <form noValidate onSubmit={submit} className="app-inline-form">
        {form.summary}
        <TextField
          id="org-name"
          label="Add an organisation"
          labelSize="s"
          value={name}
          onChange={setName}
          error={form.errors['org-name']}
        />
        <Radios
          id="org-statutory"
          legend="Statutory partner?"
          small
          inline
          value={statutory}
          onChange={setStatutory}
          error={form.errors['org-statutory']}
          options={[
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
          ]}
        />
        <Button type="submit" variant="secondary" disabled={form.busy}>
          Add organisation
        </Button>
      </form>
    </section>
  );
}

function RecoveryKeySection() {
  const [confirming, setConfirming] = useState(false);
  const [key, setKey] = useState<string | null>(null);
  const [stored, setStored] = useState(false);
  const [notStored, setNotStored] = useState<string | undefined>();
  const form = useOperationForm('store.rotateRecoveryKey', { fallback: 'rotate-error' });
  const rotate = async () => {
    setConfirming(false);
    const sent = await form.send({});
    if (sent.ok) setKey(sent.value.recoveryKey);
  };
  return (
    <section className="app-section" aria-labelledby="recovery-title">
      <h2 className="govuk-heading-m" id="recovery-title">
        Recovery key
      </h2>
      {!key && (
        <>
          <p className="govuk-body">
            Replace the recovery key if it may have been seen by someone else, or lost. The old key stops working at once.
          </p>
          {form.errors['rotate-error'] && (
            <p className="govuk-error-message" id="rotate-error">
              {form.errors['rotate-error']}
            </p>
          )}
          <Button variant="warning" onClick={() => setConfirming(true)}>
            Replace the recovery key
          </Button>
        </>
      )}
      {confirming && (
        <Dialog id="rotate-recovery" title="Replace the recovery key?" onCancel={() => setConfirming(false)}>
          <p className="govuk-body">The current recovery key will stop working. You will be shown the new one once.</p>
          <ButtonGroup>
            <Button variant="warning" onClick={() => void rotate()}>
              Replace it
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)} autoFocus>
              Cancel
            </Button>
          </ButtonGroup>
        </Dialog>
      )}
      {key && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!stored) return setNotStored('Confirm that you have stored the new recovery key');
            setKey(null);
            setStored(false);
            setNotStored(undefined);
          }}
        >
          <RecoveryKey recoveryKey={key} />
          <Checkbox
            id="new-recovery-stored"
            label="I have stored the new recovery key somewhere safe"
            checked={stored}
            onChange={setStored}
            error={notStored}
          />
          <Button type="submit">Done</Button>
        </form>
      )}
    </section>
  );
}
