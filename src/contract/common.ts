// Schemas shared by several operations.
import { z } from 'zod';
import { ROLES } from './operation.js';
import { secret } from './fields.js';

/** Printable text of bounded length, trimmed: every free-text input goes through this. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` });
export const requiredText = (max: number) => text(max).min(1, { message: 'is required' });

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, { message: 'must be at least 2 characters' })
  .max(64, { message: 'must be at most 64 characters' })
  .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'may use letters, digits, dot, dash and underscore, starting with a letter or digit' });

/**
 * NCSC guidance: length beats complexity rules. At least 12 characters (three random words pass easily),
 * not one repeated character; the renderer adds a strength meter on top.
 */
export const passphraseSchema = secret(
  z
    .string()
    .min(12, { message: 'must be at least 12 characters: three random words work well' })
    .max(1024, { message: 'must be at most 1024 characters' })
    .refine((p) => new Set(p).size >= 4, { message: 'is too repetitive' }),
);
/** A passphrase being checked rather than set: any length the user once chose. */
export const currentPassphraseSchema = secret(z.string().min(1, { message: 'is required' }).max(1024));

export const roleSchema = z.enum(ROLES);
export const isoDateTime = z.iso.datetime({ offset: true });
export const idSchema = z.number().int().positive();
export const emptyInput = z.object({}).strict();
export const okOutput = z.object({ ok: z.literal(true) });
/** An audit head as exports print it, "SEQ:HASH": a point in the chain that someone keeps outside the store. */
export const auditHeadSchema = z.object({
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be the 64 hex digits of an entry hash' }),
});

export const userSchema = z.object({
  id: idSchema,
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  organisation: z.string(),
  organisationId: idSchema,
  statutory: z.boolean(),
  createdAt: z.string(),
  removedAt: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

export const organisationSchema = z.object({ id: idSchema, name: z.string(), statutory: z.boolean(), createdAt: z.string() });
