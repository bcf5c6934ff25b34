// Set-up, unlock and lock, users, organisations, keys.
import { z } from 'zod';
import { defineOperation, ALL_ROLES } from '../operation.js';
import {
  currentPassphraseSchema,
  emptyInput,
  okOutput,
  organisationSchema,
  passphraseSchema,
  requiredText,
  roleSchema,
  userSchema,
  usernameSchema,
} from '../common.js';

const tamperWarning = z.string().nullable();

/** One step of an unlock's upgrade (src/vault/upgrade-progress.ts). */
export const upgradeProgressSchema = z.object({
  step: z.number().int().positive(),
  steps: z.number().int().positive(),
  /** check: the file is read whole first; store, closed: a migration of either database; seal: closed-only content moves. */
  stage: z.enum(['check', 'store', 'closed', 'seal']),
  /** The migration's name, or what the step does. */
  name: z.string(),
  done: z.number().nonnegative().nullable(),
  total: z.number().nonnegative().nullable(),
  elapsedMs: z.number(),
});
export type UpgradeProgressView = z.infer<typeof upgradeProgressSchema>;

export const adminOperations = {
  'store.status': defineOperation({
    summary: 'Whether a store exists, is locked or is unlocked, and as whom.',
    input: emptyInput,
    output: z.object({
      state: z.enum(['uninitialised', 'locked', 'unlocked']),
      storeId: z.string().nullable(),
      user: userSchema.nullable(),
      justification: z.string().nullable(),
      tamperWarning,
      /** The whole-file check that runs after unlock (null when locked): changes wait until it has passed. */
      integrityCheck: z
        .object({
          state: z.enum(['running', 'passed', 'failed', 'stopped']),
          phase: z.enum(['pages', 'structure']).nullable(),
          elapsedMs: z.number(),
          failure: z.string().nullable(),
        })
        .nullable(),
      /**
       * The upgrade an unlock in progress runs on a store made by older code (null otherwise), polled by the
       * unlock screen: which step of how many, and how far it has got when the step can say. Names only.
       */
      upgrade: upgradeProgressSchema.nullable(),
    }),
    access: 'public',
    audit: null,
  }),
  'store.init': defineOperation({
    summary: 'Creates the store and its first user (a manager). Returns the recovery key, shown once.',
    input: z
      .object({
        username: usernameSchema,
        displayName: requiredText(200),
        organisation: requiredText(200),
        passphrase: passphraseSchema,
      })
      .strict(),
    output: z.object({ recoveryKey: z.string(), user: userSchema }),
    access: 'public',
    audit: null,
  }),
  'session.unlock': defineOperation({
    summary: 'Unlocks the store with a user name and passphrase.',
    input: z
      .object({
        username: usernameSchema,
        passphrase: currentPassphraseSchema,
        // The working context, asked on the unlock screen so a normal start needs no refused call to ask it.
        justification: requiredText(500).optional(),
      })
      .strict(),
    output: z.object({
      user: userSchema,
      failedAttemptsSinceLastUnlock: z.number().int(),
      tamperWarning,
      justification: z.string().nullable(),
      /** The user's last working context, offered (never applied) when none was given. */
      suggestedJustification: z.string().nullable(),
      /** The previous session never reached a lock (a crash, a kill, or the files put back from a copy). */
      uncleanEnd: z
        .object({ username: z.string().nullable(), openedAt: z.string(), entriesSinceCheckpoint: z.number().int().nonnegative() })
        .nullable(),
    }),
    access: 'public',
    audit: null,
  }),
  'session.lock': defineOperation({
    summary: 'Locks the store: closes the database and wipes the key from memory.',
    input: emptyInput,
    output: okOutput,
    access: ALL_ROLES,
    audit: { kind: 'lock', entity: 'session' },
  }),
  'session.setJustification': defineOperation({
    summary: 'Sets the working context (e.g. "Preparing for the 3 Dec People meeting") recorded on every entry until changed.',
    input: z.object({ justification: requiredText(500).nullable() }).strict(),
    output: z.object({ justification: z.string().nullable() }),
    access: ALL_ROLES,
    audit: { kind: 'settings', entity: 'session' },
  }),
  'users.list': defineOperation({
    summary: 'Lists the users of this store (partnership staff, not case subjects).',
    input: z.object({ includeRemoved: z.boolean().default(false) }).strict(),
    output: z.object({ users: z.array(userSchema) }),
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'user' },
    justification: false,
  }),
  'users.add': defineOperation({
    summary: 'Adds a user with a role and organisation, and a key slot under their first passphrase.',
    input: z
      .object({
        username: usernameSchema,
        displayName: requiredText(200),
        role: roleSchema,
        organisationId: z.number().int().positive(),
        passphrase: passphraseSchema,
      })
      .strict(),
    output: z.object({ user: userSchema }),
    access: ['manager'],
    audit: { kind: 'collection', entity: 'user' },
  }),
  'users.remove': defineOperation({
    summary: 'Removes a user: deletes their key slot and marks them removed (the audit log keeps their id).',
    input: z.object({ username: usernameSchema }).strict(),
    output: okOutput,
    access: ['manager'],
    audit: { kind: 'settings', entity: 'user' },
  }),
  'users.changePassphrase': defineOperation({
    summary: 'Changes your own passphrase; only your key slot is rewritten.',
    input: z.object({ currentPassphrase: currentPassphraseSchema, newPassphrase: passphraseSchema }).strict(),
    output: okOutput,
    access: ALL_ROLES,
    audit: { kind: 'settings', entity: 'user' },
  }),
  'users.resetPassphrase': defineOperation({
    summary: "Sets another user's passphrase (they forgot it); they should change it at next unlock.",
    input: z.object({ username: usernameSchema, newPassphrase: passphraseSchema }).strict(),
    output: okOutput,
    access: ['manager'],
    audit: { kind: 'settings', entity: 'user' },
  }),
  'organisations.list': defineOperation({
    summary: 'Lists member organisations and whether each is a statutory partner.',
    input: emptyInput,
    output: z.object({ organisations: z.array(organisationSchema) }),
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'organisation' },
    justification: false,
  }),
  'organisations.add': defineOperation({
    summary: 'Adds a member organisation.',
    input: z.object({ name: requiredText(200), statutory: z.boolean() }).strict(),
    output: z.object({ organisation: organisationSchema }),
    access: ['manager'],
    audit: { kind: 'collection', entity: 'organisation' },
  }),
  'store.rotateMasterKey': defineOperation({
    summary: 'Re-keys the database under a new master key and reseals it to every slot.',
    input: emptyInput,
    output: okOutput,
    access: ['manager'],
    audit: { kind: 'settings', entity: 'store' },
    transaction: 'none',
  }),
  'store.rotateRecoveryKey': defineOperation({
    summary: 'Replaces the recovery key; the old one stops working. Returns the new key, shown once.',
    input: emptyInput,
    output: z.object({ recoveryKey: z.string() }),
    access: ['manager'],
    audit: { kind: 'settings', entity: 'store' },
  }),
  'store.info': defineOperation({
    summary: 'Facts about the store for administrators: id, schema version, key slots, audit head.',
    input: emptyInput,
    output: z.object({
      storeId: z.string(),
      schemaVersion: z.number().int(),
      slots: z.array(z.object({ kind: z.enum(['user', 'recovery']), username: z.string().nullable() })),
      auditHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
    }),
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'store' },
    justification: false,
  }),
} as const;
