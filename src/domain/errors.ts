// Typed errors that cross every boundary (dispatcher, IPC, CLI) as plain {code, message, field?}.
// In the domain, below the contract, because pure rules refuse with them too (a bad case transition);
// the contract re-exports them (src/contract/errors.ts). Shared with the renderer: no Node here.

/** The files on disk are damaged, foreign or refused (the CLI exits 5 on these). */
export const STORE_ERROR_CODES = [
  'STORE_NOT_INITIALISED',
  'STORE_EXISTS',
  'STORE_IN_USE',
  'KEYFILE_MISSING',
  'KEYFILE_CORRUPT',
  'KEYFILE_FOREIGN',
  'KEYFILE_MISMATCH',
  'KDF_TOO_WEAK',
  'DATABASE_MISSING',
  'DATABASE_CORRUPT',
  'DATABASE_FOREIGN',
  'BACKUP_CORRUPT',
  'FOLDER_NOT_EMPTY',
  'ROSTER_INVALID',
] as const;

export const ERROR_CODES = [
  // caller mistakes
  'VALIDATION',
  'UNKNOWN_OPERATION',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_TRANSITION',
  'JUSTIFICATION_REQUIRED',
  // who may do what
  'LOCKED',
  'AUTH_FAILED',
  'UNLOCK_DELAYED',
  'FORBIDDEN',
  'AGREEMENT_REQUIRED',
  'SENDER_REFUSED',
  ...STORE_ERROR_CODES,
  'AUDIT_TAMPERED',
  'INTERNAL',
  // a newer call from the same window replaced this one before it finished (src/dispatch/supersede.ts)
  'CANCELLED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  field?: string;
  /** Extra facts a caller can act on, e.g. retryAfterMs for UNLOCK_DELAYED. Never case content. */
  details?: Record<string, string | number | boolean | null>;
}

export class ConcordatError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: ErrorShape['details'];

  constructor(code: ErrorCode, message: string, options: { field?: string; details?: ErrorShape['details']; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConcordatError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }

  toJSON(): ErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isConcordatError(value: unknown): value is ConcordatError {
  return value instanceof ConcordatError;
}
