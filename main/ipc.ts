// The one IPC door: concordat:invoke. The sender frame must be the app's page, then the call goes to
// the dispatcher like any other. Results and typed errors ({code, message, field?}) cross as plain data.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { ConcordatError } from '../src/contract/errors.js';
import { dispatch, laneMeta, type DispatchResult } from '../src/dispatch/index.js';
import type { Host } from '../src/dispatch/index.js';
import { checkSender } from '../src/shell/sender-check.js';

// Repeated in preload.cts, which runs sandboxed and cannot import this file; a test keeps them equal.
export const INVOKE_CHANNEL = 'concordat:invoke';
export const EVENT_CHANNEL = 'concordat:event';
export const ACTIVITY_CHANNEL = 'concordat:activity';

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

function senderUrl(event: SenderEvent): string | null {
  // senderFrame is null (or throws, in some versions) once the frame has navigated away or closed.
  try {
    return event.senderFrame?.url ?? null;
  } catch {
    return null;
  }
}

/** The frame a call came from, so that its lane (CallMeta.lane) is its own: one window cannot cancel another's calls. */
function senderId(event: SenderEvent): string {
  try {
    return `${event.senderFrame?.processId ?? '?'}/${event.senderFrame?.routingId ?? '?'}`;
  } catch {
    return '?';
  }
}

export function invokeHandler(host: Host, onActivity: () => void): (event: SenderEvent, request: unknown) => Promise<DispatchResult> {
  return async (event, request) => {
    const refused = checkSender(senderUrl(event));
    if (refused) return { ok: false, error: refused.toJSON() };
    onActivity();
    const { operation, input, lane } = (typeof request === 'object' && request !== null ? request : {}) as {
      operation?: unknown;
      input?: unknown;
      lane?: unknown;
    };
    if (typeof operation !== 'string') {
      return {
        ok: false,
        error: new ConcordatError('VALIDATION', 'operation: must be the name of an operation.', { field: 'operation' }).toJSON(),
      };
    }
    return dispatch(host, operation, input, laneMeta(senderId(event), lane));
  };
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'on'>, host: Host, onActivity: () => void): void {
  ipcMain.handle(INVOKE_CHANNEL, invokeHandler(host, onActivity));
  ipcMain.on(ACTIVITY_CHANNEL, (event: IpcMainEvent) => {
    if (!checkSender(senderUrl(event))) onActivity();
  });
}
