// Adding a person to a case, or changing a person's details. people.create first looks for likely
// duplicates (same date of birth and a similar name or alias, or the same address); if it finds any,
// nothing is created until the user picks one of them or says this is a different person.
import { useState } from 'react';
import type { DuplicateCandidate, GENDERS, IDENTIFIER_SCHEMES, Person } from '../../src/contract/ops/people.js';
import type { InputOf } from '../../src/contract/operations.js';
import { Button, ButtonGroup } from '../components/Button.js';
import { Dialog } from '../components/Dialog.js';
import { Select, TextField } from '../components/form.js';
import { Table } from '../components/Table.js';
import { formatDate, parseDateInput } from '../lib/format.js';
import { DUPLICATE_REASON_LABELS, GENDER_LABELS, SCHEME_LABELS } from '../lib/labels.js';
import { useOperationForm, type OperationFormOptions } from '../lib/use-operation-form.js';

export interface ChosenPerson {
  id: number;
  name: string;
  dateOfBirth: string | null;
}

const FIELDS: OperationFormOptions = { prefix: 'person', groups: ['aliases'], fallback: 'givenName' };

const EMPTY = {
  givenName: '',
  familyName: '',
  aliases: '',
  dateOfBirth: '',
  gender: '' as (typeof GENDERS)[number] | '',
  line1: '',
  town: '',
  postcode: '',
  ward: '',
  scheme: 'police' as (typeof IDENTIFIER_SCHEMES)[number],
  reference: '',
  phone: '',
};
type PersonForm = typeof EMPTY;

/**
 * The form shows one address, one reference and one phone number: the first of each. Editing changes
 * those and keeps every other entry as it was.
 */
function formFrom(person: Person): PersonForm {
  const address = person.addresses[0];
  const identifier = person.identifiers[0];
  return {
    givenName: person.givenName,
    familyName: person.familyName,
    aliases: person.aliases.join(', '),
    dateOfBirth: person.dateOfBirth ?? '',
    gender: person.gender ?? '',
    line1: address?.line1 ?? '',
    town: address?.town ?? '',
    postcode: address?.postcode ?? '',
    ward: address?.ward ?? '',
    scheme: identifier?.scheme ?? 'police',
    reference: identifier?.value ?? '',
    phone: person.contacts.find((c) => c.kind === 'phone')?.value ?? '',
  };
}

type PersonDialogProps =
  | { editing?: undefined; onChosen: (person: ChosenPerson) => void; onCancel: () => void }
  | { editing: Person; onSaved: (person: Person) => void; onCancel: () => void };

export function PersonDialog(props: PersonDialogProps) {
  const { onCancel, editing } = props;
  const [fields, setFields] = useState<PersonForm>(() => (editing ? formFrom(editing) : EMPTY));
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[] | null>(null);
  // One of the two is in use: they differ in what they answer, so each keeps its own type.
  const creating = useOperationForm('people.create', FIELDS);
  const updating = useOperationForm('people.update', FIELDS);
  const form = editing ? updating : creating;
  const { errors, busy, summary } = form;
  const set = (key: keyof typeof EMPTY) => (value: string) => setFields((f) => ({ ...f, [key]: value }));

  const input = () => ({
    givenName: fields.givenName,
    familyName: fields.familyName,
    aliases: fields.aliases
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    dateOfBirth: fields.dateOfBirth.trim() ? parseDateInput(fields.dateOfBirth) : null,
    gender: fields.gender || null,
    addresses:
      fields.line1.trim() || fields.postcode.trim()
        ? [
            {
              line1: fields.line1,
              town: fields.town.trim() || null,
              postcode: fields.postcode.trim() || null,
              ward: fields.ward.trim() || null,
            },
          ]
        : [],
    identifiers: fields.reference.trim() ? [{ scheme: fields.scheme, value: fields.reference }] : [],
    contacts: fields.phone.trim() ? [{ kind: 'phone' as const, value: fields.phone }] : [],
  });

  /** The edited first address, reference and phone number, followed by the entries the form does not show. */
  const update = (person: Person) => {
    const edited = input();
    const firstAddress = person.addresses[0];
    const firstPhone = person.contacts.findIndex((c) => c.kind === 'phone');
    return {
      personId: person.id,
      givenName: edited.givenName,
      familyName: edited.familyName,
      aliases: edited.aliases,
      dateOfBirth: edited.dateOfBirth,
      gender: edited.gender,
      addresses: [
        ...edited.addresses.map((a) => ({ ...a, line2: firstAddress?.line2 ?? null, current: firstAddress?.current ?? true })),
        ...person.addresses.slice(1),
      ],
      identifiers: [...edited.identifiers, ...person.identifiers.slice(1)],
      contacts: [...edited.contacts, ...person.contacts.filter((_, i) => i !== firstPhone)],
    };
  };

  const save = async (person: Person, onSaved: (person: Person) => void) => {
    const sent = await updating.send(update(person) as InputOf<'people.update'>);
    if (sent.ok) onSaved(sent.value.person);
  };

  const create = async (despiteDuplicates: boolean) => {
    if (props.editing) return;
    const { onChosen } = props;
    const sent = await creating.send({ ...input(), createDespiteDuplicates: despiteDuplicates } as InputOf<'people.create'>);
    // A problem with the details takes the person back to them, away from the list of possible matches.
    if (!sent.ok) return sent.refused === null ? setDuplicates(null) : undefined;
    const { person, duplicates: found } = sent.value;
    if (person) return onChosen({ id: person.id, name: `${person.givenName} ${person.familyName}`, dateOfBirth: person.dateOfBirth });
    setDuplicates(found);
  };

  const submit = form.onSubmit(() => (props.editing ? save(props.editing, props.onSaved) : create(false)));

  const title = duplicates
    ? 'This person may already be recorded'
    : editing
      ? `Change the details of ${editing.givenName} ${editing.familyName}`
      : 'Add a person';
  return (
    <Dialog id="person-dialog" title={title} onCancel={onCancel}>
      {duplicates ? (
        <div data-testid="duplicate-warning">
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              {duplicates.length === 1 ? 'A record' : `${duplicates.length} records`} look like {fields.givenName} {fields.familyName}. Use
              an existing record if it is the same person.
            </strong>
          </div>
          <Table
            caption="Possible matches"
            rows={duplicates}
            rowKey={(d) => d.personId}
            columns={[
              { header: 'Name', cell: (d) => `${d.givenName} ${d.familyName}` },
              { header: 'Date of birth', cell: (d) => (d.dateOfBirth ? formatDate(d.dateOfBirth) : 'Not known') },
              { header: 'Why it matches', cell: (d) => d.reasons.map((r) => DUPLICATE_REASON_LABELS[r]).join('; ') },
              {
                header: <span className="govuk-visually-hidden">Action</span>,
                cell: (d) => (
                  <button
                    type="button"
                    className="app-link-button"
                    autoFocus={d === duplicates[0]}
                    onClick={() => {
                      if (!props.editing)
                        props.onChosen({ id: d.personId, name: `${d.givenName} ${d.familyName}`, dateOfBirth: d.dateOfBirth });
                    }}
                  >
                    Use this record
                    <span className="govuk-visually-hidden">
                      {' '}
                      for {d.givenName} {d.familyName}
                    </span>
                  </button>
                ),
              },
            ]}
          />
          <ButtonGroup>
            <Button variant="warning" disabled={busy} onClick={() => void create(true)}>
              They are a different person: create a new record
            </Button>
            <Button variant="secondary" onClick={() => setDuplicates(null)}>
              Back to the details
            </Button>
          </ButtonGroup>
        </div>
      ) : (
        <form noValidate onSubmit={submit}>
          {summary}
          <div className="app-form-columns">
            <TextField
              id="person-givenName"
              label="Given name"
              value={fields.givenName}
              onChange={set('givenName')}
              error={errors['person-givenName']}
              autoFocus
            />
            <TextField
              id="person-familyName"
              label="Family name"
              value={fields.familyName}
              onChange={set('familyName')}
              error={errors['person-familyName']}
            />
            <TextField
              id="person-dateOfBirth"
              label="Date of birth"
              hint="Optional. For example, 2008-04-17 or 17/4/2008"
              width="10"
              value={fields.dateOfBirth}
              onChange={set('dateOfBirth')}
              error={errors['person-dateOfBirth']}
            />
            <Select
              id="person-gender"
              label="Gender"
              value={fields.gender}
              onChange={set('gender')}
              error={errors['person-gender']}
              options={[{ value: '', label: 'Not given' }, ...Object.entries(GENDER_LABELS).map(([value, label]) => ({ value, label }))]}
            />
          </div>
          <TextField
            id="person-aliases"
            label="Also known as"
            hint="Optional. Separate names with commas"
            value={fields.aliases}
            onChange={set('aliases')}
            error={errors['person-aliases']}
          />
          <div className="app-form-columns">
            <TextField
              id="person-addresses-0-line1"
              label="Address line 1"
              hint="Optional"
              value={fields.line1}
              onChange={set('line1')}
              error={errors['person-addresses-0-line1']}
            />
            <TextField
              id="person-addresses-0-town"
              label="Town"
              hint="Optional"
              value={fields.town}
              onChange={set('town')}
              error={errors['person-addresses-0-town']}
            />
            <TextField
              id="person-addresses-0-postcode"
              label="Postcode"
              hint="Optional"
              width="10"
              value={fields.postcode}
              onChange={set('postcode')}
              error={errors['person-addresses-0-postcode']}
            />
            <TextField
              id="person-addresses-0-ward"
              label="Ward"
              hint="Optional"
              value={fields.ward}
              onChange={set('ward')}
              error={errors['person-addresses-0-ward']}
            />
          </div>
          <div className="app-form-columns">
            <Select
              id="person-scheme"
              label="Reference held by"
              value={fields.scheme}
              onChange={set('scheme')}
              options={Object.entries(SCHEME_LABELS).map(([value, label]) => ({ value, label }))}
            />
            <TextField
              id="person-identifiers-0-value"
              label="Reference number"
              hint="Optional"
              value={fields.reference}
              onChange={set('reference')}
              error={errors['person-identifiers-0-value']}
            />
            <TextField
              id="person-contacts-0-value"
              label="Phone number"
              hint="Optional"
              value={fields.phone}
              onChange={set('phone')}
              error={errors['person-contacts-0-value']}
            />
          </div>
          <ButtonGroup>
            <Button type="submit" disabled={busy}>
              {editing ? 'Save changes' : 'Add person'}
            </Button>
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
          </ButtonGroup>
        </form>
      )}
    </Dialog>
  );
}
