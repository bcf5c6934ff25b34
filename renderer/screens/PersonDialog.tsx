// Adding a person to a case, or changing a person's details. people.create first looks for likely
// duplicates (same date of birth and a similar name or alias, or the same address); if it finds any,
// nothing is created until the user picks one of them or says this is a different person.
import { useState, type FormEvent } from 'react';
import { personCreateInput, personUpdateInput, type DuplicateCandidate, type GENDERS, type IDENTIFIER_SCHEMES, type Person } from '../../src/contract/ops/people.js';
import type { InputOf } from '../../src/contract/operations.js';
import { useSession } from '../session.js';
import { Button, ButtonGroup } from '../components/Button.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorSummary, Select, TextField, type FieldErrors } from '../components/form.js';
import { Table } from '../components/Table.js';
import { errorsFromResult, errorsFromZod, type Labels } from '../lib/form-errors.js';
import { formatDate, parseDateInput } from '../lib/format.js';

export interface ChosenPerson {
  id: number;
  name: string;
  dateOfBirth: string | null;
}

const LABELS: Labels = {
  givenName: 'Given name', familyName: 'Family name', 'aliases.*': 'Alias #', dateOfBirth: 'Date of birth', gender: 'Gender',
  'addresses.*.line1': 'Address line 1', 'addresses.*.town': 'Town', 'addresses.*.postcode': 'Postcode', 'addresses.*.ward': 'Ward',
  'identifiers.*.value': 'Reference number', 'contacts.*.value': 'Phone number',
};

const GENDER_LABELS: Readonly<Record<(typeof GENDERS)[number], string>> = { female: 'Female', male: 'Male', non_binary: 'Non-binary', other: 'Other', not_known: 'Not known' };
const SCHEME_LABELS: Readonly<Record<(typeof IDENTIFIER_SCHEMES)[number], string>> = { police: 'Police', council: 'Council', housing: 'Housing', nhs: 'NHS number', ni: 'National Insurance', other: 'Other' };
const REASON_LABELS: Readonly<Record<DuplicateCandidate['reasons'][number], string>> = {
  date_of_birth_and_name: 'same date of birth, similar name', date_of_birth_and_alias: 'same date of birth, matching alias', address: 'same address',
};

const EMPTY = { givenName: '', familyName: '', aliases: '', dateOfBirth: '', gender: '' as (typeof GENDERS)[number] | '', line1: '', town: '', postcode: '', ward: '', scheme: 'police' as (typeof IDENTIFIER_SCHEMES)[number], reference: '', phone: '' };
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
  const { call } = useSession();
  const [form, setForm] = useState<PersonForm>(() => (editing ? formFrom(editing) : EMPTY));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[] | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof EMPTY) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const input = () => ({
    givenName: form.givenName,
    familyName: form.familyName,
    aliases: form.aliases.split(',').map((a) => a.trim()).filter(Boolean),
    dateOfBirth: form.dateOfBirth.trim() ? parseDateInput(form.dateOfBirth) : null,
    gender: form.gender || null,
    addresses: form.line1.trim() || form.postcode.trim() ? [{ line1: form.line1, town: form.town.trim() || null, postcode: form.postcode.trim() || null, ward: form.ward.trim() || null }] : [],
    identifiers: form.reference.trim() ? [{ scheme: form.scheme, value: form.reference }] : [],
    contacts: form.phone.trim() ? [{ kind: 'phone' as const, value: form.phone }] : [],
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
      addresses: [...edited.addresses.map((a) => ({ ...a, line2: firstAddress?.line2 ?? null, current: firstAddress?.current ?? true })), ...person.addresses.slice(1)],
      identifiers: [...edited.identifiers, ...person.identifiers.slice(1)],
      contacts: [...edited.contacts, ...person.contacts.filter((_, i) => i !== firstPhone)],
    };
  };

  const save = async (person: Person, onSaved: (person: Person) => void) => {
    const value = update(person);
    const parsed = personUpdateInput.safeParse(value);
    if (!parsed.success) return setErrors(errorsFromZod(parsed.error, LABELS, { prefix: 'person', groups: ['aliases'] }));
    setErrors({});
    setBusy(true);
    const result = await call('people.update', value as InputOf<'people.update'>);
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromResult({ ...result.error, ...(result.error.field ? { field: `person.${result.error.field}` } : {}) }, prefixed(LABELS), 'person-givenName'));
    onSaved(result.value.person);
  };

  const create = async (despiteDuplicates: boolean) => {
    if (props.editing) return;
    const { onChosen } = props;
    const value = { ...input(), createDespiteDuplicates: despiteDuplicates };
    const parsed = personCreateInput.safeParse(value);
    if (!parsed.success) {
      setDuplicates(null);
      return setErrors(errorsFromZod(parsed.error, LABELS, { prefix: 'person', groups: ['aliases'] }));
    }
    setErrors({});
    setBusy(true);
    const result = await call('people.create', value as InputOf<'people.create'>);
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromResult({ ...result.error, ...(result.error.field ? { field: `person.${result.error.field}` } : {}) }, prefixed(LABELS), 'person-givenName'));
    const { person, duplicates: found } = result.value;
    if (person) return onChosen({ id: person.id, name: `${person.givenName} ${person.familyName}`, dateOfBirth: person.dateOfBirth });
    setDuplicates(found);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (props.editing) void save(props.editing, props.onSaved);
    else void create(false);
  };

  const title = duplicates ? 'This person may already be recorded' : editing ? `Change the details of ${editing.givenName} ${editing.familyName}` : 'Add a person';
  return (
    <Dialog id="person-dialog" title={title} onCancel={onCancel}>
      {duplicates ? (
        <div data-testid="duplicate-warning">
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              {duplicates.length === 1 ? 'A record' : `${duplicates.length} records`} look like {form.givenName} {form.familyName}. Use an existing record if it is the same person.
            </strong>
          </div>
          <Table caption="Possible matches" rows={duplicates} rowKey={(d) => d.personId}
            columns={[
              { header: 'Name', cell: (d) => `${d.givenName} ${d.familyName}` },
              { header: 'Date of birth', cell: (d) => (d.dateOfBirth ? formatDate(d.dateOfBirth) : 'Not known') },
              { header: 'Why it matches', cell: (d) => d.reasons.map((r) => REASON_LABELS[r]).join('; ') },
              { header: <span className="govuk-visually-hidden">Action</span>, cell: (d) => (
                <button type="button" className="app-link-button" autoFocus={d === duplicates[0]}
                  onClick={() => { if (!props.editing) props.onChosen({ id: d.personId, name: `${d.givenName} ${d.familyName}`, dateOfBirth: d.dateOfBirth }); }}>
                  Use this record<span className="govuk-visually-hidden"> for {d.givenName} {d.familyName}</span>
                </button>
              ) },
            ]} />
          <ButtonGroup>
            <Button variant="warning" disabled={busy} onClick={() => void create(true)}>They are a different person: create a new record</Button>
            <Button variant="secondary" onClick={() => setDuplicates(null)}>Back to the details</Button>
          </ButtonGroup>
        </div>
      ) : (
        <form noValidate onSubmit={submit}>
          <ErrorSummary errors={errors} />
          <div className="app-form-columns">
            <TextField id="person-givenName" label="Given name" value={form.givenName} onChange={set('givenName')} error={errors['person-givenName']} autoFocus />
            <TextField id="person-familyName" label="Family name" value={form.familyName} onChange={set('familyName')} error={errors['person-familyName']} />
            <TextField id="person-dateOfBirth" label="Date of birth" hint="Optional. For example, 2008-04-17 or 17/4/2008" width="10" value={form.dateOfBirth} onChange={set('dateOfBirth')} error={errors['person-dateOfBirth']} />
            <Select id="person-gender" label="Gender" value={form.gender} onChange={set('gender')} error={errors['person-gender']}
              options={[{ value: '', label: 'Not given' }, ...Object.entries(GENDER_LABELS).map(([value, label]) => ({ value, label }))]} />
          </div>
          <TextField id="person-aliases" label="Also known as" hint="Optional. Separate names with commas" value={form.aliases} onChange={set('aliases')} error={errors['person-aliases']} />
          <div className="app-form-columns">
            <TextField id="person-addresses-0-line1" label="Address line 1" hint="Optional" value={form.line1} onChange={set('line1')} error={errors['person-addresses-0-line1']} />
            <TextField id="person-addresses-0-town" label="Town" hint="Optional" value={form.town} onChange={set('town')} error={errors['person-addresses-0-town']} />
            <TextField id="person-addresses-0-postcode" label="Postcode" hint="Optional" width="10" value={form.postcode} onChange={set('postcode')} error={errors['person-addresses-0-postcode']} />
            <TextField id="person-addresses-0-ward" label="Ward" hint="Optional" value={form.ward} onChange={set('ward')} error={errors['person-addresses-0-ward']} />
          </div>
          <div className="app-form-columns">
            <Select id="person-scheme" label="Reference held by" value={form.scheme} onChange={set('scheme')}
              options={Object.entries(SCHEME_LABELS).map(([value, label]) => ({ value, label }))} />
            <TextField id="person-identifiers-0-value" label="Reference number" hint="Optional" value={form.reference} onChange={set('reference')} error={errors['person-identifiers-0-value']} />
            <TextField id="person-contacts-0-value" label="Phone number" hint="Optional" value={form.phone} onChange={set('phone')} error={errors['person-contacts-0-value']} />
          </div>
          <ButtonGroup>
            <Button type="submit" disabled={busy}>{editing ? 'Save changes' : 'Add person'}</Button>
            <Button variant="secondary" onClick={onCancel}>Cancel</Button>
          </ButtonGroup>
        </form>
      )}
    </Dialog>
  );
}

function prefixed(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [`person.${k}`, v]));
}
