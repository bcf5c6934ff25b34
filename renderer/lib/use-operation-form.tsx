// One way to write a form that runs an operation: the input is checked against the operation's own
// schema in the contract (so the form refuses exactly what the store would, and lists every problem at
// once), the screen may add checks the schema cannot make, the call runs with the form busy, and a
// refusal from the store lands beside its field. The error summary takes focus whenever the problems
// change (see ErrorSummary).
import { useContext, useRef, useState, type FormEvent, type ReactElement } from 'react';
import type { z } from 'zod';
import type { ErrorShape } from '../../src/contract/errors.js';
import { operations, type InputOf, type OperationName, type OutputOf } from '../../src/contract/operations.js';
import type { Result } from '../api.js';
import { ErrorSummary, type FieldErrors } from '../components/form.js';
import { SessionContext } from '../session.js';
import { controlId, fieldErrors, problemsFromRefusal, problemsFromZod, type FieldMap, type Problems } from './form-errors.js';
import { FIELD_LABELS } from './labels.js';

export type Caller = <N extends OperationName>(operation: N, input: InputOf<N>) => Promise<Result<OutputOf<N>>>;

export interface OperationFormOptions extends FieldMap {
  /** Where a refusal that names no field is shown (a field path, mapped like any other). */
  fallback: string;
  /** Refusals this form words itself (a wrong passphrase, a lock): problems by path, or undefined for the usual reading. */
  refusal?: (error: ErrorShape) => Problems | undefined;
  /** The screens shown before unlock have no session: they pass the api's call. */
  call?: Caller;
}

/** What a send came to: the operation's output, or why not (refused null: the form's own checks stopped it). */
export type Sent<T> = { ok: true; value: T } | { ok: false; refused: ErrorShape | null };

export interface OperationForm<N extends OperationName> {
  /** Problems by control id, in the order the summary lists them. */
  errors: FieldErrors;
  /** The id and the problem of the control for a field path, to spread on a field: {...form.field('dueDate')}. */
  field(path: string): { id: string; error: string | undefined };
  busy: boolean;
  /** The GOV.UK error summary for these problems; place it where the form's heading is. */
  summary: ReactElement;
  /** A submit handler: no page reload, and nothing while a send is under way. */
  onSubmit(handler: () => void | Promise<void>): (event: FormEvent) => void;
  /** Checks the input and the extra problems; shows what it found. True if there is nothing to show. */
  validate(input: unknown, extra?: Problems): boolean;
  /** validate, then call the operation with the form busy; a refusal is shown beside its field. */
  send(input: InputOf<N>, extra?: Problems): Promise<Sent<OutputOf<N>>>;
  /** Keeps the form busy across several steps (a look-up before the send). */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Shows problems the screen found itself; true if there were any. */
  refuse(problems: Problems): boolean;
  /** Drops the problem shown on these paths (the person dealt with it some other way). */
  dismiss(...paths: string[]): void;
  clear(): void;
}

export function useOperationForm<N extends OperationName>(operation: N, options: OperationFormOptions): OperationForm<N> {
  const session = useContext(SessionContext);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const pending = useRef(0);
  const map: FieldMap = { ...options, labels: options.labels ?? FIELD_LABELS[operation] ?? {} };

  const call: Caller | undefined = options.call ?? session?.call;

  const show = (problems: Problems): boolean => {
    const found = fieldErrors(problems, map);
    setErrors(found);
    return Object.keys(found).length > 0;
  };

  const run = async <T,>(task: () => Promise<T>): Promise<T> => {
    pending.current += 1;
    setBusy(true);
    try {
      return await task();
    } finally {
      pending.current -= 1;
      if (pending.current === 0) setBusy(false);
    }
  };

  const validate = (input: unknown, extra: Problems = {}): boolean => {
    const parsed = (operations[operation].input as z.ZodType).safeParse(input);
    const problems: Record<string, string | undefined> = parsed.success ? {} : problemsFromZod(parsed.error, map);
    for (const [path, message] of Object.entries(extra)) problems[path] ??= message;
    return !show(problems);
  };

  const send = async (input: InputOf<N>, extra?: Problems): Promise<Sent<OutputOf<N>>> => {
    if (!validate(input, extra)) return { ok: false, refused: null };
    if (!call) throw new Error(`useOperationForm(${operation}) outside a session needs options.call`);
    const result = await run(() => call(operation, input));
    if (result.ok) return result;
    show(options.refusal?.(result.error) ?? problemsFromRefusal(result.error, map, options.fallback));
    return { ok: false, refused: result.error };
  };

  return {
    errors,
    field: (path) => {
      const id = controlId(path, map);
      return { id, error: errors[id] };
    },
    busy,
    summary: <ErrorSummary errors={errors} />,
    onSubmit: (handler) => (event) => {
      event.preventDefault();
      if (pending.current > 0) return;
      void handler();
    },
    validate,
    send,
    run,
    refuse: (problems) => show(problems),
    dismiss: (...paths) => {
      const ids = new Set(paths.map((p) => controlId(p, map)));
      setErrors((current) => Object.fromEntries(Object.entries(current).filter(([id]) => !ids.has(id))));
    },
    clear: () => setErrors({}),
  };
}
