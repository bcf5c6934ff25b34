// Parsing the command line with node:util parseArgs. All options are declared once here; each command
// names the ones it accepts, and anything else is a usage error rather than silently ignored.
import { parseArgs } from 'node:util';
import { usageError } from './output.js';

export const OPTIONS = {
  'data-dir': { type: 'string' },
  user: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  organisation: { type: 'string' },
  role: { type: 'string' },
  'organisation-id': { type: 'string' },
  statutory: { type: 'boolean' },
  'non-statutory': { type: 'boolean' },
  'include-removed': { type: 'boolean' },
  input: { type: 'string' },
  justification: { type: 'string' },
  out: { type: 'string' },
  recipient: { type: 'string', multiple: true },
  filter: { type: 'string' },
  meeting: { type: 'string' },
  audience: { type: 'string' },
  'exported-at': { type: 'string' },
  recovery: { type: 'boolean' },
  anchor: { type: 'string', multiple: true },
  person: { type: 'string' },
  'out-pdf': { type: 'string' },
  'out-json': { type: 'string' },
  'include-closed-only': { type: 'boolean' },
} as const;

export type OptionName = keyof typeof OPTIONS;
export const GLOBAL_OPTIONS: readonly OptionName[] = ['data-dir', 'user', 'json', 'help'];

export interface OptionValues {
  'data-dir'?: string;
  user?: string;
  json?: boolean;
  help?: boolean;
  name?: string;
  organisation?: string;
  role?: string;
  'organisation-id'?: string;
  statutory?: boolean;
  'non-statutory'?: boolean;
  'include-removed'?: boolean;
  input?: string;
  justification?: string;
  out?: string;
  recipient?: string[];
  filter?: string;
  meeting?: string;
  audience?: string;
  'exported-at'?: string;
  recovery?: boolean;
  anchor?: string[];
  person?: string;
  'out-pdf'?: string;
  'out-json'?: string;
  'include-closed-only'?: boolean;
}

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    return { values: values as OptionValues, positionals };
  } catch (err) {
    // parseArgs's own messages name the option and say what was wrong; they never contain a secret.
    throw usageError(err instanceof Error ? err.message.split('\n')[0]! : 'The command line could not be read.');
  }
}

/** Refuses options that the chosen command does not take. */
export function checkOptions(values: OptionValues, allowed: readonly OptionName[], command: string): void {
  const permitted = new Set<string>([...GLOBAL_OPTIONS, ...allowed]);
  const extra = Object.keys(values).filter((name) => !permitted.has(name));
  if (extra.length > 0) throw usageError(`\`${command}\` does not take ${extra.map((n) => `--${n}`).join(', ')}.`);
}

/** The value of an option the command cannot run without. */
export function required(
  values: OptionValues,
  name: 'name' | 'organisation' | 'role' | 'organisation-id' | 'out' | 'meeting' | 'audience' | 'person' | 'out-pdf' | 'out-json',
  command: string,
): string {
  const value = values[name];
  if (value === undefined || value === '') throw usageError(`\`${command}\` needs --${name}.`);
  return value;
}

/** The JSON an option carries (--input, --filter); its fields are left to the operation's schema to check. */
export function parseJsonOption(text: string, option: string, where = ''): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw usageError(`--${option} is not valid JSON${where}.`);
  }
}
