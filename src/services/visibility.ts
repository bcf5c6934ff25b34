// Who is looking: the viewer a call's queries filter for (the conditions themselves are in src/store/visibility.ts).
import type { Viewer } from '../store/visibility.js';
import type { Call } from './types.js';

export type { Viewer };

export function viewerOf(call: Pick<Call, 'session'>): Viewer {
  return { userId: call.session.user.id, role: call.session.user.role };
}
