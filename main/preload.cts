// The bridge between the sandboxed page and main. It exposes exactly two functions on
// window.concordat and nothing of ipcRenderer itself. Sandboxed preloads are CommonJS and may require
// only 'electron', so the channel names are repeated here (test/main checks they match main/ipc.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload must be CommonJS
import electron = require('electron');

const INVOKE_CHANNEL = 'concordat:invoke';
const EVENT_CHANNEL = 'concordat:event';
const ACTIVITY_CHANNEL = 'concordat:activity';
const ACTIVITY_THROTTLE_MS = 10_000;

declare const window: { addEventListener(type: string, listener: () => void, options: { capture: boolean; passive: boolean }): void };

const { contextBridge, ipcRenderer } = electron;

contextBridge.exposeInMainWorld('concordat', {
  /**
   * Resolves to {ok: true, value} or {ok: false, error: {code, message, field?}}; never rejects for refusals.
   * `lane`: a newer call on the same lane supersedes this one if its operation allows (src/dispatch/supersede.ts).
   */
  invoke: (operation: string, input?: unknown, lane?: unknown): Promise<unknown> =>
    ipcRenderer.invoke(INVOKE_CHANNEL, typeof lane === 'string' ? { operation, input, lane } : { operation, input }),
  /** Calls back with {type: 'locked', reason} or {type: 'unlocked'}; returns the unsubscribe. */
  onEvent: (callback: (event: unknown) => void): (() => void) => {
    if (typeof callback !== 'function') throw new TypeError('concordat.onEvent needs a function');
    // The IPC event object is never passed on: it would hand the page a route to ipcRenderer.
    const listener = (_event: unknown, payload: unknown) => callback(payload);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, listener);
  },
});

// Input in the window keeps the idle lock away; throttled so typing does not flood the channel.
let lastSent = 0;
const activity = () => {
  const now = Date.now();
  if (now - lastSent < ACTIVITY_THROTTLE_MS) return;
  lastSent = now;
  ipcRenderer.send(ACTIVITY_CHANNEL);
};
for (const type of ['keydown', 'pointerdown', 'wheel', 'touchstart'])
  window.addEventListener(type, activity, { capture: true, passive: true });
