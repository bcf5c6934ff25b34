// The one door. Every caller (Electron IPC, CLI, browser transport, tests) runs operations through
// `dispatch`, which checks the session, the role, the input and the justification, runs the handler
// and writes the audit entry in the same transaction, and returns a typed result. It never throws.
import type { z } from 'zod';
import { ConcordatError, internalError, type ErrorShape } from '../contract/errors.js';
import { isOperationName, operations, type OperationName, type OutputOf } from '../contract/operations.js';
import { roleMayCall, needsJustification, type OperationDefinition } from '../contract/operation.js';
import { containsClosedOnly, mayReceiveClosedOnly } from '../domain/access.js';
import { appendAuditEntry, type Actor } from '../audit/log.js';
import { fieldIssues } from '../contract/zod-issues.js';
import type { Sql } from '../vault/database.js';
import type { Host, UnlockedSession } from '../host/host.js';
import { recordIncident } from '../host/incident-log.js';
import { handlers, publicHandlers, type AuditNote, type Call } from '../services/index.js';
import { agreementGate } from '../services/agreements.js';
import { sealClosedContent } from '../store/closed-store.js';
import { cancelledError, Lanes } from './supersede.js';
import { CallClock } from './timing.js';

export type DispatchResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export interface CallMeta {
  /** Overrides the session's working context for this one call. */
  justification?: string;
  /**
   * The caller's lane for supersedable operations: a newer such call on the same lane supersedes this one
   * (src/dispatch/supersede.ts). The transport makes it unique to the window that sent the call, so one
   * window cannot cancel another's.
   */
  lane?: string;
}

const lanesByHost = new WeakMap<Host, Lanes>();

function lanesOf(host: Host): Lanes {
  let lanes = lanesByHost.get(host);
  if (!lanes) lanesByHost.set(host, (lanes = new Lanes()));
  return lanes;
}

/**
 * Turns a zod failure into VALIDATION naming the first offending field (dotted path). An unknown key is
 * named to the caller (cut short), and marked in `details` so that the audit entry records only that there
 * were unknown keys, and where: their text is the caller's own, and the log would keep it for ever.
 */
export function validationError(error: z.ZodError, prefix = ''): ConcordatError {
  const issue = fieldIssues(error)[0];
  const join = (path: string) => [prefix, path].filter(Boolean).join('.') || undefined;
  const field = issue ? join(issue.path) : undefined;
  const raw = error.issues[0];
  const message = raw ? `${field ?? 'input'} ${raw.message}`.replace(/^(\S+) (Invalid input: )/, '$1: $2') : 'invalid input';
  const unknownKeys = issue?.unknownKeys
    ? { unknownKeys: issue.unknownKeys.count, unknownKeysIn: join(issue.unknownKeys.parent) ?? 'input' }
    : undefined;
  return new ConcordatError('VALIDATION', message, {
    ...(field === undefined ? {} : { field }),
    ...(unknownKeys ? { details: unknownKeys } : {}),
  });
}

/** What a refusal's audit entry keeps of the error: the field, unless that is a caller's unknown key. */
function refusalDetails(error: ConcordatError): Record<string, unknown> {
  const unknownKeys = error.details?.unknownKeys;
  if (typeof unknownKeys === 'number') return { unknownKeys, field: error.details?.unknownKeysIn };
  return error.field ? { field: error.field } : {};
}

/**
 * A refusal crosses as it is. Anything else may carry SQL or data in its message: the caller gets the
 * generic message and an incident id, and the data folder's log gets the id, the operation and the stack.
 */
function toErrorShape(err: unknown, host: Host, operation: string): ErrorShape {
  if (err instanceof ConcordatError && err.code !== 'INTERNAL') return err.toJSON();
  return internalError(recordIncident(host.dataDir, isOperationName(operation) ? operation : 'unknown', err));
}

function actorOf(session: UnlockedSession): Actor {
  const { id, username, organisation, role } = session.user;
  return { userId: id, username, organisation, role };
}

export async function dispatch<N extends OperationName>(
  host: Host,
  name: N,
  input: unknown,
  meta?: CallMeta,
): Promise<DispatchResult<OutputOf<N>>>;
export async function dispatch(host: Host, name: string, input: unknown, meta?: CallMeta): Promise<DispatchResult>;
export async function dispatch(host: Host, name: string, input: unknown, meta: CallMeta = {}): Promise<DispatchResult> {
  try {
    if (!isOperationName(name))
      throw new ConcordatError('UNKNOWN_OPERATION', `There is no operation called ${JSON.stringify(String(name).slice(0, 100))}.`);
    const definition: OperationDefinition = operations[name];
    if (definition.access === 'public') {
      const parsed = definition.input.safeParse(input ?? {});
      if (!parsed.success) throw validationError(parsed.error);
      const value = await publicHandlers[name as keyof typeof publicHandlers](host, parsed.data as never);
      return { ok: true, value: definition.output.parse(value) };
    }
    return await dispatchAudited(host, name, definition, input, meta);
  } catch (err) {
    return { ok: false, error: toErrorShape(err, host, name) };
  }
}

/**
 * Whether a call must wait for the whole-file integrity check that runs after unlock. Reads and the
 * session's own entries go ahead at once: their only write is an audit entry appended along pages that
 * SQLCipher authenticates as it reads them. Anything that changes records, and every export, waits.
 */
const CHECKPOINTED_KINDS: ReadonlySet<string> = new Set(['consultation', 'disclosure', 'export']);

function waitsForIntegrityCheck(definition: OperationDefinition): boolean {
  const audit = definition.audit!;
  return audit.kind !== 'consultation' && audit.entity !== 'session';
}

/**
 * The checkpoint of a case list's page, written after its answer has left (the page is typed at: its fsync,
 * 2 ms on a quiet disk and 40 ms or more behind other writers, was on the path of every keystroke). The
 * audit entry was committed (and the WAL fsync'd) before the answer, so the log holds the consultation; the
 * key file holds its head milliseconds later. If the process ends in between, the key file is left one
 * checkpoint behind the log, as any crash leaves it, and the next unlock reports the unclean end with the
 * entries since (docs/threat-model.md). A failed write is recorded as an incident; the next consultation's
 * checkpoint, which its answer waits for, writes the head again (and fails visibly if the disk still does).
 */
function finishInBackground(written: Promise<void>, host: Host, operation: OperationName): void {
  written.catch((err: unknown) => {
    try {
      recordIncident(host.dataDir, operation, err);
    } catch {
      // The disk refuses the incident log too: the next consultation's own checkpoint will fail visibly.
    }
  });
}

async function dispatchAudited(
  host: Host,
  name: OperationName,
  definition: OperationDefinition,
  input: unknown,
  meta: CallMeta,
): Promise<DispatchResult> {
  const session = host.session;
  const vault = host.vault;
  if (!session || !vault?.isUnlocked) throw new ConcordatError('LOCKED', 'The store is locked: unlock it first.');
  // A damaged file takes no more writes, not even a refusal's audit entry; locking stays possible.
  const integrity = vault.integrity;
  if (integrity.failed && name !== 'session.lock') throw integrity.failed;
  const db = vault.db;
  const audit = definition.audit!;
  const justification = meta.justification?.trim() || session.justification;

  const refuse = async (error: ConcordatError, note: AuditNote = {}) => {
    await db.transactionNow((sql) =>
      appendAuditEntry(sql, vault.storeId, {
        actor: actorOf(session),
        kind: audit.kind,
        operation: name,
        entityType: audit.entity,
        entityId: note.entityId ?? null,
        justification: note.justification ?? justification,
        recipients: note.recipients ?? [],
        outcome: 'refused',
        errorCode: error.code,
        details: { ...refusalDetails(error), ...note.details },
      }),
    );
    return { ok: false as const, error: error.toJSON() };
  };

  const afterCommit: (() => void | Promise<void>)[] = [];
  const clock = new CallClock();
  // A supersedable read holds a ticket, on the caller's lane if it named one.
  const ticket = definition.supersedable ? lanesOf(host).open(meta.lane) : null;
  /** null: superseded before it finished, so nothing reached the caller and nothing is logged. */
  const audited = async (): Promise<DispatchResult | null> => {
    if (ticket && !ticket.start(db)) return null;
    clock.mark('turn');
    // The store may have been locked while this call waited its turn (a lock or idle lock queued before it).
    if (host.session !== session || !vault.isUnlocked)
      return { ok: false, error: new ConcordatError('LOCKED', 'The store was locked before this could run.').toJSON() };
    // Waits in its place in the queue, so calls still run in the order they came.
    if (waitsForIntegrityCheck(definition)) await integrity.passed();
    if (!roleMayCall(definition, session.user.role)) {
      return refuse(new ConcordatError('FORBIDDEN', `Your role (${session.user.role.replace('_', '-')}) may not use ${name}.`));
    }
    const missingAgreement = await agreementGate(db, session.user, name, definition);
    if (missingAgreement) return refuse(missingAgreement);
    const parsed = definition.input.safeParse(input ?? {});
    if (!parsed.success) return refuse(validationError(parsed.error));
    if (needsJustification(definition) && !justification) {
      return refuse(
        new ConcordatError(
          'JUSTIFICATION_REQUIRED',
          'Say why you need this (set a working context, e.g. "Preparing for the 3 Dec People meeting").',
          { field: 'justification' },
        ),
      );
    }

    const note: AuditNote = {};
    const onRollback: (() => void | Promise<void>)[] = [];
    const makeCall = (sql: Sql): Call => ({
      host,
      vault,
      session,
      sql,
      justification,
      note: (n) => Object.assign(note, n, { details: { ...note.details, ...n.details } }),
      afterCommit: (fn) => void afterCommit.push(fn),
      onRollback: (fn) => void onRollback.push(fn),
    });
    const handler = handlers[name as keyof typeof handlers] as (call: Call, input: unknown) => Promise<unknown>;
    const appendOk = (sql: Sql) =>
      appendAuditEntry(sql, vault.storeId, {
        actor: actorOf(session),
        kind: note.kind ?? audit.kind,
        operation: name,
        entityType: note.entityType ?? audit.entity,
        entityId: note.entityId ?? null,
        justification: note.justification ?? justification,
        recipients: note.recipients ?? [],
        outcome: 'ok',
        details: note.details ?? {},
      });

    // Behind the services' own filtering: nothing flagged closed-only leaves for a caller who may not see it.
    const release = (output: unknown) => {
      if (!mayReceiveClosedOnly(session.user.role) && containsClosedOnly(output)) {
        throw new ConcordatError('FORBIDDEN', 'This is closed-meeting-only information, for statutory partners only.');
      }
      return output;
    };

    let value: unknown;
    try {
      if (ticket) {
        // Outside any transaction, reads only: an interrupt can only ever stop a read.
        try {
          value = release(definition.output.parse(await handler(makeCall(ticket.reads(db)), parsed.data)));
        } finally {
          ticket.finish();
          clock.mark('handled');
        }
        await db.transactionNow(appendOk);
      } else if (definition.transaction === 'none') {
        value = release(definition.output.parse(await handler(makeCall(db), parsed.data)));
        clock.mark('handled');
        await db.transactionNow(appendOk);
      } else {
        value = await db.transactionNow(async (sql) => {
          const output = release(definition.output.parse(await handler(makeCall(sql), parsed.data)));
          clock.mark('handled');
          await appendOk(sql);
          return output;
        });
      }
      clock.mark('logged');
    } catch (err) {
      for (const undo of onRollback.reverse()) await Promise.resolve(undo()).catch(() => undefined);
      if (ticket?.cancelledBy(err)) return null;
      // A refusal the service decided (not found, conflict, bad transition) is logged as refused; an
      // unexpected failure leaves no entry at all, like the change it was part of.
      if (err instanceof ConcordatError && err.code !== 'INTERNAL') return refuse(err, note);
      throw err;
    }
    return { ok: true as const, value };
  };
  /** The key file's checkpoint of this call, once written (awaited after the store's queue is free). */
  let checkpointed: Promise<void> | null = null;
  const work = db.exclusive(async () => {
    const outcome = await audited();
    if (outcome === null) return null;
    // Closed-only content written by this call moves to the closed database now, in steps of their own. Also
    // after a list page, which wrote none: rows a loader wrote around the dispatcher are sealed by the next call,
    // whatever it is (test/services/search.test.ts relies on it).
    if (outcome.ok && vault.holdsClosedKey) await sealClosedContent(db);
    // Still in the exclusive section, so the head is a committed one. After each consultation and
    // disclosure, so that putting back a copy of the database taken earlier in the session loses entries
    // the key file has already recorded. Written in the background (see Vault.writeCheckpoint): it is the
    // hot path of every read, and the main thread must not wait on the disk. The head is read and the
    // write started here; its fsync is waited for outside the queue, so the next call's reads need not
    // wait for this call's disk (the answer still waits for it).
    if (CHECKPOINTED_KINDS.has(audit.kind) && host.session === session && vault.isUnlocked) {
      const { written } = await host.startCheckpoint(db, { inBackground: true });
      // Its failure is the answer's (awaited below); this only keeps it from counting as unhandled meanwhile.
      written.catch(() => undefined);
      checkpointed = written;
    }
    clock.mark('done');
    return outcome;
  });
  // A call superseded while it waits is answered now; its turn in the queue, when it comes, does nothing.
  const result = ticket
    ? await Promise.race([work, ticket.dropped.then(() => null)]).finally(() => lanesOf(host).close(meta.lane, ticket))
    : await work;
  if (result === null) {
    clock.publish(name, 'cancelled', ticket?.stoppedAfterMs());
    return { ok: false, error: cancelledError().toJSON() };
  }
  // The hooks below run once the key file holds this call's checkpoint, as when it was written in the queue.
  // Only a call that wrote one waits here: a lock's hook must take effect before the next queued call's
  // turn comes, with no await between. A page of the case list (a supersedable read, with no hooks) answers
  // once its audit entry is committed, while its checkpoint is being written: see finishInBackground.
  if (checkpointed !== null) {
    if (ticket && afterCommit.length === 0) finishInBackground(checkpointed, host, name);
    else await checkpointed;
  }
  // Outside the exclusive section: a hook may close the database, which queues behind it.
  if (result.ok) for (const fn of afterCommit) await fn();
  clock.publish(name, result.ok ? 'ok' : 'refused');
  return result;
}
