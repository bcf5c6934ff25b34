// One reading of a zod failure, for every side: the dispatcher and the CLI name the first field, the
// renderer places every issue beside its field. Paths are dotted as the contract names them.
import type { z } from 'zod';

/** An unknown key is the caller's own text: cut it short wherever it is shown or kept. */
export const MAX_KEY_LENGTH = 100;

export interface FieldIssue {
  /** Dotted path of the field (an unknown key is named itself, not its parent object); '' for the whole input. */
  path: string;
  /** zod's message without its "Invalid input: " prefix. */
  message: string;
  code: string;
  /** For unknown keys: how many, and the dotted path of the object that had them (their text is the caller's). */
  unknownKeys?: { count: number; parent: string };
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const segments = issue.path.map(String);
    const parent = segments.join('.');
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    if (unknown !== undefined) segments.push(unknown.length > MAX_KEY_LENGTH ? `${unknown.slice(0, MAX_KEY_LENGTH)}…` : unknown);
    const message = issue.message.replace(/^Invalid input: /, '');
    if (issue.code !== 'unrecognized_keys') return { path: segments.join('.'), message, code: issue.code };
    return { path: segments.join('.'), message, code: issue.code, unknownKeys: { count: issue.keys.length, parent } };
  });
}
