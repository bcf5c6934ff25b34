// One loader for a section that shows what one read operation returns and reloads it after a change:
// the value, the refusal if there was one, and `reload` (which resolves once the new value is in).
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../src/contract/errors.js';
import type { InputOf, OperationName, OutputOf } from '../../src/contract/operations.js';
import { useSession } from '../session.js';

export interface OperationResult<N extends OperationName> {
  value: OutputOf<N> | null;
  error: ErrorShape | null;
  reload: () => Promise<void>;
}

export function useOperationResult<N extends OperationName>(operation: N, input: InputOf<N>): OperationResult<N> {
  const { call } = useSession();
  const [value, setValue] = useState<OutputOf<N> | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  // The input is a fresh object on every render: its JSON is what decides whether to load again.
  const key = JSON.stringify(input);
  const reload = useCallback(async () => {
    const result = await call(operation, JSON.parse(key) as InputOf<N>);
    if (!result.ok) return setError(result.error);
    setError(null);
    setValue(result.value);
  }, [call, operation, key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, error, reload };
}
