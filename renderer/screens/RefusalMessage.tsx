// What a screen shows when the store refused to give it what it asked for.
import type { ErrorShape } from '../../src/contract/errors.js';
import { Button } from '../components/Button.js';
import { useSession } from '../session.js';

export function RefusalMessage({ error, onSetContext, onRetry }: { error: ErrorShape; onSetContext: () => void; onRetry?: () => void }) {
  if (error.code === 'JUSTIFICATION_REQUIRED') {
    return (
      <div className="govuk-inset-text" data-testid="refusal">
        <p className="govuk-body">You need to give a working context before you can see case records. It is recorded with what you view.</p>
        <Button variant="secondary" onClick={onSetContext}>
          Set a working context
        </Button>
      </div>
    );
  }
  return (
    <div className="govuk-inset-text" data-testid="refusal">
      <p className="govuk-body">
        {error.code === 'NOT_FOUND' ? 'This case does not exist, or you do not have access to it.' : error.message}
      </p>
      {onRetry && !['NOT_FOUND', 'FORBIDDEN', 'AGREEMENT_REQUIRED'].includes(error.code) && (
        <Button variant="secondary" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/** The refusal of a screen's load: a working context, once given, reloads it, as does "Try again". */
export function LoadRefusal({ error, reload }: { error: ErrorShape; reload: () => unknown }) {
  const { changeJustification } = useSession();
  return (
    <RefusalMessage
      error={error}
      onSetContext={() =>
        void changeJustification().then((ok) => {
          if (ok) void reload();
        })
      }
      onRetry={() => void reload()}
    />
  );
}
