// The renderer's one way to the store: the operations of the contract, typed by their schemas. Under
// Electron the preload's window.concordat carries them over IPC; in a browser (preview, e2e tests) they
// go to the HTTP transport with the token that arrived in the page URL's fragment.
import type { ErrorShape } from '../src/contract/errors.js';
import type { InputOf, OperationName, OutputOf } from '../src/contract/operations.js';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** Pushed by the main side; they carry no case data. */
export type AppEvent = { type: 'locked'; reason: string } | { type: 'unlocked' };

/**
 * `lane`: a newer call on the same lane replaces this one, if its operation is supersedable (a list as its
 * search changes): the main side drops it if it has not started, or stops its reading, and it answers
 * CANCELLED. Calls without a lane always run to the end.
 */
export interface CallOptions {
  lane?: string;
}

export interface Transport {
  invoke(operation: string, input: unknown, options?: CallOptions): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
}

interface ConcordatBridge {
  invoke(operation: string, input?: unknown, lane?: string): Promise<unknown>;
  onEvent(callback: (event: unknown) => void): () => void;
}

declare global {
  interface Window {
    concordat?: ConcordatBridge;
  }
}

// Repeated from src/transport/http-transport.ts, which the renderer may not import (it is Node code).
const TOKEN_HEADER = 'x-concordat-token';
const RECONNECT_MS = 2000;

const failure = (code: ErrorShape['code'], message: string): Result<never> => ({ ok: false, error: { code, message } });

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error?.code === 'string' && typeof v.error.message === 'string';
}

function isAppEvent(value: unknown): value is AppEvent {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'locked' || type === 'unlocked';
}

/** The token rides in the fragment (`#token=…`), which the browser never sends to a server. */
export function tokenFromFragment(hash: string): string | null {
  const match = /(?:^#|&)token=([0-9a-f]{64})(?:&|$)/.exec(hash);
  return match?.[1] ?? null;
}

export function ipcTransport(bridge: ConcordatBridge): Transport {
  return {
    invoke: (operation, input, options) =>
      options?.lane === undefined ? bridge.invoke(operation, input) : bridge.invoke(operation, input, options.lane),
    onEvent: (listener) => bridge.onEvent(listener),
  };
}

/** The browser transport: POST /invoke, and the /events stream read with fetch (EventSource cannot send the token header). */
export function httpTransport(token: string | null): Transport {
  const listeners = new Set<(event: unknown) => void>();
  let stream: AbortController | null = null;
  // The server knows the token, not the page: lanes carry this page's own id, so two tabs keep theirs apart.
  const pageId = crypto.randomUUID();

  const readStream = async (signal: AbortSignal) => {
    while (!signal.aborted) {
      try {
        const response = await fetch('/events', { headers: token ? { [TOKEN_HEADER]: token } : {}, signal, cache: 'no-store' });
        if (!response.ok || !response.body) throw new Error('no event stream');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const line of block.split('\n')) {
              if (!line.startsWith('data:')) continue;
              try {
                const event: unknown = JSON.parse(line.slice(5));
                for (const listener of listeners) listener(event);
              } catch {
                // A malformed line is dropped; the next call's LOCKED error still tells the truth.
              }
            }
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };

  return {
    async invoke(operation, input, options) {
      if (!token) return failure('SENDER_REFUSED', 'This page has no access token. Open the address that `npm run preview` printed.');
      let response: Response;
      try {
        response = await fetch('/invoke', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify({ operation, input, ...(options?.lane === undefined ? {} : { lane: `${pageId} ${options.lane}` }) }),
          cache: 'no-store',
        });
      } catch {
        return failure('INTERNAL', 'Concordat is not answering. Check that it is still running.');
      }
      try {
        return await response.json();
      } catch {
        return failure('INTERNAL', `Concordat answered with HTTP ${response.status} and no result.`);
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!stream && token) {
        stream = new AbortController();
        void readStream(stream.signal);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stream?.abort();
          stream = null;
        }
      };
    },
  };
}

export function pickTransport(): Transport {
  if (window.concordat) return ipcTransport(window.concordat);
  const token = tokenFromFragment(window.location.hash);
  // The token is a bearer secret: once read, off the address bar and out of the history (back, session restore).
  if (token !== null) window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  return httpTransport(token);
}

export interface Api {
  call<N extends OperationName>(operation: N, input: InputOf<N>, options?: CallOptions): Promise<Result<OutputOf<N>>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}

export function createApi(transport: Transport = pickTransport()): Api {
  return {
    async call<N extends OperationName>(operation: N, input: InputOf<N>, options?: CallOptions): Promise<Result<OutputOf<N>>> {
      let raw: unknown;
      try {
        raw = await transport.invoke(operation, input, options);
      } catch {
        return failure('INTERNAL', 'The call did not reach Concordat.');
      }
      if (!isResult(raw)) return failure('INTERNAL', 'Concordat answered with something this window does not understand.');
      return raw as Result<OutputOf<N>>;
    },
    onEvent(listener) {
      return transport.onEvent((event) => {
        if (isAppEvent(event)) listener(event);
      });
    },
  };
}
