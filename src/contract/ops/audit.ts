// Reading and proving the audit log. Reading it is itself audited.
import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { AUDIT_KINDS } from '../audit-kinds.js';
import { okOutput, requiredText, auditHeadSchema } from '../common.js';

export const auditFilterSchema = z
  .object({
    userId: z.number().int().positive().optional(),
    username: z.string().max(64).optional(),
    organisation: z.string().max(200).optional(),
    entityType: z.string().max(100).optional(),
    entityId: z.string().max(200).optional(),
    kind: z.enum(AUDIT_KINDS).optional(),
    outcome: z.enum(['ok', 'refused']).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  organisation: z.string().nullable(),
  role: z.string().nullable(),
  kind: z.enum(AUDIT_KINDS),
  operation: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  justification: z.string().nullable(),
  recipients: z.array(z.string()),
  outcome: z.enum(['ok', 'refused']),
  errorCode: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

const auditAnchorSchema = auditHeadSchema;

/** Whether each anchor is still in the chain: its entry exists, has that hash, and chains from the start. */
const anchorResults = z.array(auditAnchorSchema.extend({ inChain: z.boolean() }));

const verifyOutput = z.discriminatedUnion('intact', [
  z.object({ intact: z.literal(true), entries: z.number().int(), headSeq: z.number().int().nullable(), anchors: anchorResults }),
  z.object({ intact: z.literal(false), entries: z.number().int(), brokenAt: z.number().int(), reason: z.string(), anchors: anchorResults }),
]);

export const auditOperations = {
  'audit.query': defineOperation({
    summary: 'Audit entries matching a filter, newest first, a page at a time.',
    input: z
      .object({
        filter: auditFilterSchema.default({}),
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.object({ entries: z.array(auditEntrySchema), total: z.number().int(), nextBeforeSeq: z.number().int().nullable() }),
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'audit_log' },
  }),
  'audit.verify': defineOperation({
    summary:
      'Recomputes the whole hash chain and compares it with the checkpoint in the key file; with anchors (heads printed on exports), proves each is still in the chain.',
    input: z.object({ anchors: z.array(auditAnchorSchema).max(50).default([]) }).strict(),
    output: verifyOutput,
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'audit_log' },
    // Verification reveals hashes and a yes/no, nothing about any data subject.
    justification: false,
  }),
  'audit.exportCsv': defineOperation({
    summary: 'The matching entries as CSV, for a named recipient (an export is a disclosure, and is logged).',
    input: z
      .object({
        filter: auditFilterSchema.default({}),
        recipients: z.array(requiredText(200)).min(1, { message: 'name at least one recipient' }).max(20),
      })
      .strict(),
    output: z.object({ csv: z.string(), rows: z.number().int(), sha256: z.string(), auditHead: auditAnchorSchema.nullable() }),
    access: ['manager'],
    audit: { kind: 'disclosure', entity: 'audit_log' },
  }),
  'audit.acknowledgeTamper': defineOperation({
    summary: 'After a tamper warning has been investigated, records the acknowledgement and re-baselines the checkpoint.',
    input: z.object({ note: requiredText(1000) }).strict(),
    output: okOutput,
    access: ['manager'],
    audit: { kind: 'settings', entity: 'audit_log' },
  }),
} as const;
