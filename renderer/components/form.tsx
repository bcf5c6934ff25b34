// GOV.UK form fields: label, hint and inline error, each tied to the control by aria-describedby, and the
// error summary that lists them, takes focus and links to each field.
import {
  useEffect,
  useId,
  useRef,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { InPageLink } from './InPageLink.js';

/** Errors keyed by field id (see fieldId), in the order they should be listed. */
export type FieldErrors = Readonly<Record<string, string>>;

export function ErrorSummary({ errors, title = 'There is a problem' }: { errors: FieldErrors; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = `${useId()}-error-summary-title`;
  const entries = Object.entries(errors);
  const signature = entries.map(([id, message]) => `${id}:${message}`).join('|');
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  if (entries.length === 0) return null;
  return (
    <div className="govuk-error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby={titleId}>
      <h2 className="govuk-error-summary__title" id={titleId}>
        {title}
      </h2>
      <div className="govuk-error-summary__body">
        <ul className="govuk-list govuk-error-summary__list">
          {entries.map(([id, message]) => (
            <li key={id}>
              <InPageLink target={id}>{message}</InPageLink>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

interface FieldShell {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** Visually hide the label (it is still read): for fields inside a labelled table row. */
  labelHidden?: boolean;
  labelSize?: 's' | 'm';
}

function describedBy(id: string, hint: ReactNode, error: string | undefined, extra?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : '', extra ?? ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function Hint({ id, hint }: { id: string; hint: ReactNode }) {
  return hint ? (
    <div id={`${id}-hint`} className="govuk-hint">
      {hint}
    </div>
  ) : null;
}

function InlineError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {error}
    </p>
  ) : null;
}

function Group({ error, children, className }: { error: string | undefined; children: ReactNode; className?: string }) {
  return (
    <div className={['govuk-form-group', error ? 'govuk-form-group--error' : '', className ?? ''].filter(Boolean).join(' ')}>
      {children}
    </div>
  );
}

function Label({ id, label, hidden, size }: { id: string; label: ReactNode; hidden?: boolean | undefined; size?: 's' | 'm' | undefined }) {
  return (
    <label
      className={['govuk-label', size ? `govuk-label--${size}` : '', hidden ? 'govuk-visually-hidden' : ''].filter(Boolean).join(' ')}
      htmlFor={id}
    >
      {label}
    </label>
  );
}

export type TextFieldProps = FieldShell &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> & {
    value: string;
    onChange: (value: string) => void;
    width?: '2' | '3' | '4' | '5' | '10' | '20' | '30' | 'full';
    /** Extra element ids to describe the input (e.g. a strength meter). */
    describedByExtra?: string;
    after?: ReactNode;
  };

export function TextField({
  id,
  label,
  hint,
  error,
  labelHidden,
  labelSize,
  value,
  onChange,
  width,
  describedByExtra,
  after,
  className,
  ...rest
}: TextFieldProps) {
  return (
    <Group error={error}>
      <Label id={id} label={label} hidden={labelHidden} size={labelSize} />
      <Hint id={id} hint={hint} />
      <InlineError id={id} error={error} />
      <input
        id={id}
        name={id}
        className={[
          'govuk-input',
          width && width !== 'full' ? `govuk-input--width-${width}` : '',
          error ? 'govuk-input--error' : '',
          className ?? '',
        ]
          .filter(Boolean)
          .join(' ')}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy(id, hint, error, describedByExtra)}
        aria-invalid={error ? true : undefined}
        spellCheck={false}
        {...rest}
      />
      {after}
    </Group>
  );
}

/** A date typed as YYYY-MM-DD (the contract's form), in a box sized for it. */
export function DateField({ hint = 'YYYY-MM-DD', ...rest }: Omit<TextFieldProps, 'width'>) {
  return <TextField hint={hint} width="10" {...rest} />;
}

export type TextAreaProps = FieldShell &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'onChange' | 'value'> & {
    value: string;
    onChange: (value: string) => void;
  };

export function TextArea({ id, label, hint, error, labelHidden, labelSize, value, onChange, rows = 4, ...rest }: TextAreaProps) {
  return (
    <Group error={error}>
      <Label id={id} label={label} hidden={labelHidden} size={labelSize} />
      <Hint id={id} hint={hint} />
      <InlineError id={id} error={error} />
      <textarea
        id={id}
        name={id}
        className={['govuk-textarea', error ? 'govuk-textarea--error' : ''].filter(Boolean).join(' ')}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        spellCheck={false}
        {...rest}
      />
    </Group>
  );
}

export interface Option<V extends string = string> {
  value: V;
  label: ReactNode;
  hint?: ReactNode;
}

export type SelectProps<V extends string> = FieldShell &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'onChange' | 'value'> & {
    value: V;
    onChange: (value: V) => void;
    options: readonly Option<V>[];
  };

export function Select<V extends string>({
  id,
  label,
  hint,
  error,
  labelHidden,
  labelSize,
  value,
  onChange,
  options,
  ...rest
}: SelectProps<V>) {
  return (
    <Group error={error}>
      <Label id={id} label={label} hidden={labelHidden} size={labelSize} />
      <Hint id={id} hint={hint} />
      <InlineError id={id} error={error} />
      <select
        id={id}
        name={id}
        className={['govuk-select', error ? 'govuk-select--error' : ''].filter(Boolean).join(' ')}
        value={value}
        onChange={(e) => onChange(e.target.value as V)}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Group>
  );
}

interface ChoiceShell {
  /** The first control gets this id, so the error summary can link to the group. */
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  legendSize?: 's' | 'm';
  inline?: boolean;
  small?: boolean;
  columns?: boolean;
}

function Fieldset({ id, legend, hint, error, legendSize = 's', children }: ChoiceShell & { children: ReactNode }) {
  return (
    <Group error={error}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(`${id}-group`, hint, error)}>
        <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        <Hint id={`${id}-group`} hint={hint} />
        <InlineError id={`${id}-group`} error={error} />
        {children}
      </fieldset>
    </Group>
  );
}

export function Radios<V extends string>(
  props: ChoiceShell & { name?: string; value: V | null; onChange: (value: V) => void; options: readonly Option<V>[] },
) {
  const { id, value, onChange, options, inline, small } = props;
  const name = props.name ?? id;
  return (
    <Fieldset {...props}>
      <div className={['govuk-radios', inline ? 'govuk-radios--inline' : '', small ? 'govuk-radios--small' : ''].filter(Boolean).join(' ')}>
        {options.map((o, i) => {
          const optionId = i === 0 ? id : `${id}-${o.value}`;
          return (
            <div className="govuk-radios__item" key={o.value}>
              <input
                className="govuk-radios__input"
                id={optionId}
                name={name}
                type="radio"
                value={o.value}
                checked={value === o.value}
                onChange={() => onChange(o.value)}
                aria-describedby={o.hint ? `${optionId}-item-hint` : undefined}
              />
              <label className="govuk-label govuk-radios__label" htmlFor={optionId}>
                {o.label}
              </label>
              {o.hint && (
                <div id={`${optionId}-item-hint`} className="govuk-hint govuk-radios__hint">
                  {o.hint}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </Fieldset>
  );
}

export function Checkboxes<V extends string>(
  props: ChoiceShell & { values: readonly V[]; onChange: (values: V[]) => void; options: readonly Option<V>[] },
) {
  const { id, values, onChange, options, small, columns } = props;
  const toggle = (v: V) => onChange(values.includes(v) ? values.filter((x) => x !== v) : [...values, v]);
  return (
    <Fieldset {...props}>
      <div
        className={['govuk-checkboxes', small ? 'govuk-checkboxes--small' : '', columns ? 'app-checkboxes--columns' : '']
          .filter(Boolean)
          .join(' ')}
      >
        {options.map((o, i) => {
          const optionId = i === 0 ? id : `${id}-${o.value}`;
          return (
            <div className="govuk-checkboxes__item" key={o.value}>
              <input
                className="govuk-checkboxes__input"
                id={optionId}
                name={id}
                type="checkbox"
                value={o.value}
                checked={values.includes(o.value)}
                onChange={() => toggle(o.value)}
              />
              <label className="govuk-label govuk-checkboxes__label" htmlFor={optionId}>
                {o.label}
              </label>
            </div>
          );
        })}
      </div>
    </Fieldset>
  );
}

/** One checkbox on its own (a yes/no question whose label says it all). */
export function Checkbox({
  id,
  label,
  hint,
  checked,
  onChange,
  error,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
}) {
  return (
    <Group error={error}>
      <InlineError id={id} error={error} />
      <div className="govuk-checkboxes govuk-checkboxes--small">
        <div className="govuk-checkboxes__item">
          <input
            className="govuk-checkboxes__input"
            id={id}
            name={id}
            type="checkbox"
            checked={checked}
            onChange={(e) => onChange(e.target.checked)}
            aria-describedby={describedBy(id, hint, error)}
          />
          <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
            {label}
          </label>
          {hint && (
            <div id={`${id}-hint`} className="govuk-hint govuk-checkboxes__hint">
              {hint}
            </div>
          )}
        </div>
      </div>
    </Group>
  );
}
