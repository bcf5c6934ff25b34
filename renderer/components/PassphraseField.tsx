// A new passphrase: the rules as a live checklist, and a strength meter on top of them. The rules are
// the contract's (passphraseSchema); the meter is advice.
import { passphraseSchema } from '../../src/contract/common.js';
import { STRENGTH_LABELS } from '../lib/labels.js';
import { strengthOf } from '../lib/strength.js';
import { TextField } from './form.js';

const RULES: { id: string; text: string; met: (p: string) => boolean }[] = [
  { id: 'length', text: 'at least 12 characters', met: (p) => p.length >= 12 },
  { id: 'variety', text: 'not one or two characters repeated', met: (p) => new Set(p).size >= 4 },
];

export function passphraseError(passphrase: string, label = 'Passphrase'): string | undefined {
  const parsed = passphraseSchema.safeParse(passphrase);
  if (parsed.success) return undefined;
  return `${label} ${parsed.error.issues[0]?.message ?? 'is not allowed'}`;
}

export function PassphraseField({
  id,
  label,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}) {
  const { level } = strengthOf(value);
  return (
    <TextField
      id={id}
      label={label}
      type="password"
      autoComplete="new-password"
      width="30"
      value={value}
      onChange={onChange}
      error={error}
      hint="Three or four random words work well, for example: kettle orbit violin marsh. Do not reuse a passphrase from elsewhere."
      describedByExtra={`${id}-rules ${id}-strength`}
      after={
        <div className="app-passphrase-help">
          <ul className="app-rules" id={`${id}-rules`} aria-label="Passphrase rules">
            {RULES.map((rule) => {
              const met = rule.met(value);
              return (
                <li key={rule.id} className={met ? 'app-rules__item app-rules__item--met' : 'app-rules__item'}>
                  <span aria-hidden="true" className="app-rules__mark">
                    {met ? '✓' : '•'}
                  </span>{' '}
                  {rule.text}
                  <span className="govuk-visually-hidden">{met ? ' (met)' : ' (not met yet)'}</span>
                </li>
              );
            })}
          </ul>
          <div className="app-strength" id={`${id}-strength`}>
            <div className={`app-strength__bar app-strength__bar--${level}`} aria-hidden="true">
              <span />
              <span />
              <span />
              <span />
            </div>
            <p className="app-strength__label" aria-live="polite">
              Strength: <strong>{value ? STRENGTH_LABELS[level] : 'not entered'}</strong>
            </p>
          </div>
        </div>
      }
    />
  );
}
