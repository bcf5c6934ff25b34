// Loading one case for a screen: the detail, or the store's refusal (no working context yet, not
// found, not allowed), and the two ways on from a refusal: give a working context, or try again.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../src/contract/errors.js';
import type { CaseDetail } from '../../src/contract/ops/cases.js';
import { useSession } from '../session.js';

export interface LoadedCase {
  /** null until the first answer, and while a refusal is shown. */
  detail: CaseDetail | null;
  error: ErrorShape | null;
  reload(): Promise<void>;
  /** An operation answered with the case as it now is (a transition): show that without asking again. */
  replace(detail: CaseDetail): void;
  /** Asks for a working context, and loads again once one is given. */
  giveContext(): void;
}

export function useCase(caseId: number | undefined): LoadedCase {
  const { call, changeJustification } = useSession();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);

  const reload = useCallback(async () => {
    if (caseId === undefined) return;
    setError(null);
    const result = await call('cases.get', { caseId });
    if (result.ok) setDetail(result.value.case);
    else setError(result.error);
  }, [call, caseId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const giveContext = useCallback(() => {
    void changeJustification().then((given) => {
      if (given) void reload();
    });
  }, [changeJustification, reload]);

  return { detail, error, reload, replace: setDetail, giveContext };
}
