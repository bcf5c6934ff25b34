// What the audit log records. The six s62 kinds (DPA 2018 s62(1)) and the system events around them.
export const S62_KINDS = ['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure'] as const;
export const SYSTEM_KINDS = ['unlock', 'failed_unlock', 'lock', 'sign', 'export', 'settings', 'tamper'] as const;
export const AUDIT_KINDS = [...S62_KINDS, ...SYSTEM_KINDS] as const;

export type AuditKind = (typeof AUDIT_KINDS)[number];

/** s62(2)-(3): consultation and disclosure logs must say why; the dispatcher refuses them without a justification. */
export const KINDS_NEEDING_JUSTIFICATION: ReadonlySet<AuditKind> = new Set<AuditKind>(['consultation', 'disclosure']);
