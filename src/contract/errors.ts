// The error vocabulary as the contract presents it to every caller. The class and the codes live in the
// domain (pure rules refuse with them); this module adds what only the boundaries need.
import type { ErrorCode, ErrorShape } from '../domain/errors.js';

export { ERROR_CODES, ConcordatError, isConcordatError, type ErrorCode, type ErrorShape } from '../domain/errors.js';

/**
 * What a caller is told about a failure nobody foresaw. Its own message may carry SQL or data, so it never
 * crosses the boundary; the dispatcher adds an incident id that points at the log entry instead.
 */
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong inside Concordat; nothing was changed.';

/** The INTERNAL error a caller receives; with an incident id (also in the message, so every screen shows it) when one was logged. */
export function internalError(incidentId?: string): ErrorShape {
  if (incidentId === undefined) return { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE };
  return {
    code: 'INTERNAL',
    message: `${INTERNAL_ERROR_MESSAGE} If it happens again, quote incident ${incidentId}.`,
    details: { incidentId },
  };
}

/** Errors that mean the files on disk are damaged, foreign or refused (CLI exit 5). */
export const STORE_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
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
  'ROSTER_INVALID',
]);
