// What the CLI prints and how it exits. Every failure, whatever raised it, leaves through `reportError`
// as `concordat: CODE: message (field: x)` (or one JSON object with --json) and one documented exit code.
import { ConcordatError, STORE_ERROR_CODES, internalError, type ErrorCode, type ErrorShape } from '../contract/errors.js';
import type { DispatchResult } from '../dispatch/dispatcher.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  authentication: 3,
  validation: 4,
  store: 5,
  tampered: 6,
  cancelled: 130,
} as const;

/** The exit codes as `concordat --help` and docs/cli.md state them. */
export const EXIT_CODE_HELP = `Exit codes:
  0    ok
  1    unexpected internal error (nothing was changed)
  2    usage: unknown command or option, missing argument, no way to read a secret
  3    authentication: AUTH_FAILED, UNLOCK_DELAYED, FORBIDDEN, AGREEMENT_REQUIRED, LOCKED, SENDER_REFUSED
  4    validation: VALIDATION, NOT_FOUND, CONFLICT, JUSTIFICATION_REQUIRED, UNKNOWN_OPERATION, INVALID_TRANSITION
  5    store damaged or refused: STORE_NOT_INITIALISED, STORE_EXISTS, STORE_IN_USE, KEYFILE_*, KDF_TOO_WEAK, DATABASE_*,
       BACKUP_CORRUPT, FOLDER_NOT_EMPTY
  6    audit log tampered (AUDIT_TAMPERED, a tamper warning at unlock, or a failed audit verify)
  130  cancelled at a prompt (Ctrl-C or end of input)`;

const AUTHENTICATION: ReadonlySet<string> = new Set<ErrorCode>([
  'AUTH_FAILED',
  'UNLOCK_DELAYED',
  'FORBIDDEN',
  'AGREEMENT_REQUIRED',
  'LOCKED',
  'SENDER_REFUSED',
]);
const VALIDATION: ReadonlySet<string> = new Set<ErrorCode>([
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'JUSTIFICATION_REQUIRED',
  'UNKNOWN_OPERATION',
  'INVALID_TRANSITION',
]);

type CliCode = 'USAGE' | 'CANCELLED' | 'IO';

/** A failure of the command line itself rather than of an operation. */
export class CliError extends Error {
  constructor(
    readonly code: CliCode,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError('USAGE', message, EXIT.usage);
export const cancelled = () => new CliError('CANCELLED', 'Cancelled.', EXIT.cancelled);

export function exitCodeFor(code: string): number {
  if (AUTHENTICATION.has(code)) return EXIT.authentication;
  if (VALIDATION.has(code)) return EXIT.validation;
  if (STORE_ERROR_CODES.has(code as ErrorCode)) return EXIT.store;
  if (code === 'AUDIT_TAMPERED') return EXIT.tampered;
  return EXIT.internal;
}

/** The value of a dispatch, or its typed error thrown so the command stops there. */
export function unwrap<T>(result: DispatchResult<T>): T {
  if (result.ok) return result.value;
  const { code, message, field, details } = result.error;
  throw new ConcordatError(code, message, { ...(field === undefined ? {} : { field }), ...(details === undefined ? {} : { details }) });
}

interface Reported {
  code: string;
  message: string;
  field?: string;
  details?: ErrorShape['details'];
}

function describe(err: unknown): { reported: Reported; exitCode: number } {
  if (err instanceof ConcordatError) return { reported: err.toJSON(), exitCode: exitCodeFor(err.code) };
  if (err instanceof CliError) return { reported: { code: err.code, message: err.message }, exitCode: err.exitCode };
  if (isSystemError(err)) return { reported: { code: 'IO', message: err.message }, exitCode: EXIT.internal };
  // Anything else may carry SQL or data in its message: say only that it happened.
  return { reported: internalError(), exitCode: EXIT.internal };
}

function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === 'string' &&
    typeof (err as NodeJS.ErrnoException).syscall === 'string'
  );
}

export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** A result line for people; silent under --json, where `data` carries the result instead. */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** The machine-readable result; printed only under --json. */
  data(value: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A value that is JSON whatever the mode (`concordat call`). */
  value(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Guidance and warnings: stderr, so stdout stays the result alone. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  /** How far a long step has got, on stderr: the text, or under --json the value. */
  progress(text: string, value: object): void {
    this.stderr.write(this.json ? `${JSON.stringify({ progress: value })}\n` : `concordat: ${text}\n`);
  }

  warn(code: string, message: string): void {
    if (this.json) this.stderr.write(`${JSON.stringify({ warning: { code, message } })}\n`);
    else this.stderr.write(`concordat: warning: ${code}: ${message}\n`);
  }

  /** Prints the error and returns the exit code it maps to. */
  reportError(err: unknown): number {
    const { reported, exitCode } = describe(err);
    if (this.json) {
      this.stderr.write(`${JSON.stringify({ error: reported })}\n`);
    } else {
      const field = reported.field ? ` (field: ${reported.field})` : '';
      this.stderr.write(`concordat: ${reported.code}: ${reported.message}${field}\n`);
      if (reported.code === 'USAGE') this.stderr.write('Run `concordat --help` for the commands and their options.\n');
    }
    return exitCode;
  }
}
