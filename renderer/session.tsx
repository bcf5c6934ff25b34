// What the unlocked screens share: who is signed in, the working context, and `call`, which runs an
// operation and handles the two refusals every screen can meet: JUSTIFICATION_REQUIRED (ask once, then
// retry) and LOCKED (hand over to the unlock screen, which drops this whole tree).
import { createContext, useContext } from 'react';
import type { User } from '../src/contract/common.js';
import type { InputOf, OperationName, OutputOf } from '../src/contract/operations.js';
import { policyFor } from '../src/contract/policy.js';
import type { CallOptions, Result } from './api.js';

export interface WorkspaceSession {
  user: User;
  justification: string | null;
  tamperWarning: string | null;
  call<N extends OperationName>(operation: N, input: InputOf<N>, options?: CallOptions): Promise<Result<OutputOf<N>>>;
  /** Opens the working-context dialog; resolves true if a context was set. */
  changeJustification(): Promise<boolean>;
  lock(): void;
  /** Marks the tamper warning handled (after audit.acknowledgeTamper). */
  tamperAcknowledged(): void;
}

export const SessionContext = createContext<WorkspaceSession | null>(null);

export function useSession(): WorkspaceSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside an unlocked workspace');
  return session;
}

/** Whether the signed-in user may call an operation: the contract's policy table, as the dispatcher applies it. */
export function userMayCall(user: User, operation: OperationName): boolean {
  const row = policyFor(operation);
  return row.public || row.roles.includes(user.role);
}
