// Reading, verifying and exporting the audit log. Each of these is itself an audited operation.
import { createHash } from 'node:crypto';
import { CHAINED_FIELDS } from '../audit/chain.js';
import { auditHashAt, auditHead, iterateAuditLog, queryAuditLog, verifyAuditLog, type AuditRow } from '../audit/log.js';
import type { Handler } from './types.js';

function toEntry(row: AuditRow) {
  return {
    seq: row.seq,
    at: row.at,
    userId: row.user_id,
    username: row.username,
    organisation: row.organisation,
    role: row.role,
    kind: row.kind,
    operation: row.operation,
    entityType: row.entity_type,
    entityId: row.entity_id,
    justification: row.justification,
    recipients: JSON.parse(row.recipients) as string[],
    outcome: row.outcome,
    errorCode: row.error_code,
    details: JSON.parse(row.details) as Record<string, unknown>,
    hash: row.hash,
  };
}

export const query: Handler<'audit.query'> = async ({ sql, note }, input) => {
  const { rows, total } = await queryAuditLog(sql, input.filter, { beforeSeq: input.beforeSeq, limit: input.limit });
  note({ details: { filter: Object.keys(input.filter).sort(), returned: rows.length } });
  const last = rows.at(-1);
  return { entries: rows.map(toEntry), total, nextBeforeSeq: rows.length === input.limit && last ? last.seq : null };
};

export const verify: Handler<'audit.verify'> = async ({ sql, vault, note }, input) => {
  const { checkpoint, authentic } = vault.checkpoint();
  const result = await verifyAuditLog(sql, vault.storeId, { checkpoint, checkpointAuthentic: authentic });
  // An anchor holds only where the chain is proven: below the first broken entry, with the very hash kept.
  const provenUpTo = result.intact ? result.entries : result.brokenAt - 1;
  const anchors = [];
  for (const anchor of input.anchors) {
    const hash = anchor.seq <= provenUpTo ? await auditHashAt(sql, anchor.seq) : null;
    anchors.push({ ...anchor, inChain: hash === anchor.hash });
  }
  const missing = anchors.filter((a) => !a.inChain).map((a) => a.seq);
  note({
    details: {
      ...(result.intact ? { intact: true, entries: result.entries } : { intact: false, brokenAt: result.brokenAt }),
      ...(anchors.length > 0 ? { anchors: anchors.length, anchorsNotInChain: missing } : {}),
    },
  });
  return result.intact ? { intact: true, entries: result.entries, headSeq: result.head?.seq ?? null, anchors } : { ...result, anchors };
};

// Every chained field, then the entry's own hash, so the export can be re-verified outside Concordat.
const CSV_COLUMNS = [...CHAINED_FIELDS, 'hash'] as const;

/** RFC 4180 quoting, and a leading quote on anything a spreadsheet would run as a formula. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const exportCsv: Handler<'audit.exportCsv'> = async ({ sql, host, note, afterCommit }, input) => {
  const lines = [CSV_COLUMNS.join(',')];
  for await (const row of iterateAuditLog(sql, input.filter)) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  const head = await auditHead(sql);
  // The head travels with the file: `concordat audit verify --anchor SEQ:HASH` later proves it is still in the chain.
  const csv = `${lines.join('\r\n')}\r\n${csvTrailer(head)}\r\n`;
  const sha256 = createHash('sha256').update(csv, 'utf8').digest('hex');
  note({
    recipients: input.recipients,
    details: { rows: lines.length - 1, sha256, format: 'csv', filter: Object.keys(input.filter).sort() },
  });
  afterCommit(() => host.writeCheckpointExclusive());
  return { csv, rows: lines.length - 1, sha256, auditHead: head };
};

/** The last line of every CSV export: its marking and the audit head (a comment line, one cell). */
export function csvTrailer(head: { seq: number; hash: string } | null): string {
  return `# OFFICIAL-SENSITIVE; audit log head at export: ${head ? `${head.seq}:${head.hash}` : 'empty log'}`;
}

export const acknowledgeTamper: Handler<'audit.acknowledgeTamper'> = async ({ host, note, afterCommit }, input) => {
  // The note is the investigation's record: what was looked at and why the warning was closed.
  const dropped = [...host.brokenCheckpoints];
  note({ details: { warningWasOpen: host.tamperWarning !== null, note: input.note, droppedCheckpoints: dropped.length } });
  afterCommit(async () => {
    host.tamperWarning = null;
    // The broken checkpoints were evidence until now; the log keeps the warning and this acknowledgement.
    host.vault?.dropCheckpoints(dropped);
    host.brokenCheckpoints = [];
    await host.writeCheckpointExclusive();
  });
  return { ok: true };
};
