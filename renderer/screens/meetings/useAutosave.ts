// Autosave of a draft: a save goes a few seconds after the last change (debounced), one at a time, and
// always sends the newest text. The text on screen is never replaced by what the store answers, so a
// keystroke typed while a save is in flight stays and goes with the next save. The store's revision
// guard refuses a save based on an older revision: that is shown, and nothing typed is dropped.
import { useCallback, useEffect, useRef, useState } from 'react';

export const AUTOSAVE_DELAY_MS = 2000;
/** Someone typing without a pause still gets a save this often. */
export const AUTOSAVE_MAX_WAIT_MS = 6000;

export type SaveOutcome = { ok: true; savedAt: string } | { ok: false; message: string; conflict?: boolean };

export interface AutosaveStatus {
  state: 'saved' | 'pending' | 'saving' | 'error';
  /** ISO time of the last save that succeeded. */
  savedAt: string | null;
  message: string | null;
}

export function useAutosave<T>(
  value: T,
  save: (value: T) => Promise<SaveOutcome>,
  { delayMs = AUTOSAVE_DELAY_MS, maxWaitMs = AUTOSAVE_MAX_WAIT_MS, enabled = true } = {},
) {
  const [status, setStatus] = useState<AutosaveStatus>({ state: 'saved', savedAt: null, message: null });
  const latest = useRef(value);
  const saved = useRef(value);
  const saving = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** When the oldest unsaved change was made (null: nothing unsaved). */
  const dirtySince = useRef<number | null>(null);
  const saveRef = useRef(save);
  saveRef.current = save;
  latest.current = value;

  const run = useCallback(async (): Promise<boolean> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    // One save at a time: wait for the one in flight, then send whatever is newest.
    while (saving.current) await saving.current;
    if (Object.is(latest.current, saved.current)) return true;
    const sending = latest.current;
    dirtySince.current = null;
    setStatus((s) => ({ ...s, state: 'saving' }));
    const attempt = (async () => {
      const outcome = await saveRef.current(sending);
      if (!outcome.ok) {
        dirtySince.current ??= Date.now();
        setStatus((s) => ({ ...s, state: 'error', message: outcome.message }));
        return false;
      }
      saved.current = sending;
      const clean = Object.is(latest.current, sending);
      if (!clean) dirtySince.current ??= Date.now();
      setStatus({ state: clean ? 'saved' : 'pending', savedAt: outcome.savedAt, message: null });
      return true;
    })();
    saving.current = attempt;
    try {
      return await attempt;
    } finally {
      saving.current = null;
    }
  }, []);

  useEffect(() => {
    if (!enabled || Object.is(value, saved.current)) return;
    setStatus((s) => (s.state === 'error' ? s : { ...s, state: 'pending' }));
    if (timer.current) clearTimeout(timer.current);
    const now = Date.now();
    dirtySince.current ??= now;
    const wait = Math.max(0, Math.min(delayMs, dirtySince.current + maxWaitMs - now));
    timer.current = setTimeout(
      () =>
        void run().then((ok) => {
          // Typed during the save: schedule the next one.
          if (ok && !Object.is(latest.current, saved.current)) timer.current = setTimeout(() => void run(), delayMs);
        }),
      wait,
    );
  }, [value, enabled, delayMs, maxWaitMs, run]);

  useEffect(
    () => () => {
      // Leaving the screen (another tab, another screen): send what was typed rather than lose it.
      if (timer.current) {
        clearTimeout(timer.current);
        void run();
      }
    },
    [run],
  );

  /** Saves now (before submitting, or when asked): resolves true when the store has the newest text. */
  const flush = useCallback(() => run(), [run]);
  /** After loading from the store: this is what the store holds. */
  const reset = useCallback((stored: T) => {
    saved.current = stored;
    latest.current = stored;
  }, []);
  return { status, flush, reset };
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/**
 * What the live region says: only the last save (or a failure), so a screen reader hears "Saved at
 * 10:42" when it changes and not every keystroke's pending state.
 */
export function statusText(status: AutosaveStatus): string {
  if (status.state === 'error') return `Not saved: ${status.message ?? 'the store refused the change'}. What you typed is still here.`;
  return status.savedAt ? `Saved at ${timeFormat.format(new Date(status.savedAt))}` : 'Not saved yet';
}
