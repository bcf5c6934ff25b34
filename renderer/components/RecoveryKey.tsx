// The recovery key, shown once. It opens the store if every passphrase is lost, so it is written down or
// printed and kept apart from this computer; it is never saved by Concordat in plain text.
export function RecoveryKey({ recoveryKey }: { recoveryKey: string }) {
  return (
    <>
      <div className="govuk-warning-text">
        <span className="govuk-warning-text__icon" aria-hidden="true">
          !
        </span>
        <strong className="govuk-warning-text__text">
          <span className="govuk-visually-hidden">Warning</span>
          This is the only time the recovery key is shown. Anyone who has it can open the store.
        </strong>
      </div>
      <p className="govuk-body">
        Write it down or print it, and keep it locked away from this computer. You need it if every passphrase is forgotten.
      </p>
      <p className="govuk-body app-recovery-key">
        <span className="govuk-visually-hidden">Recovery key: </span>
        <code data-testid="recovery-key">{recoveryKey}</code>
      </p>
    </>
  );
}
