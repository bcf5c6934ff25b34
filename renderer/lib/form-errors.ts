// Turning refusals into messages beside their fields. Client-side checks use the contract's own zod
// schemas, so the form refuses exactly what the store would; the store's typed error (one field) is
// mapped the same way when it still refuses.
import type { z } from 'zod';
import type { ErrorShape } from '../../src/contract/errors.js';
import { fieldId } from '../components/focus.js';
import type { FieldErrors } from '../components/form.js';

/** Field path (dotted, as the contract names it) → the label a person reads. */
export type Labels = Readonly<Record<string, string>>;

function labelFor(path: string, labels: Labels): string {
  if (labels[path]) return labels[path];
  // locations.0.label → "Location 1 label" via a pattern entry such as "locations.*.label".
  const pattern = path.replace(/\.\d+(?=\.|$)/g, '.*');
  const base = labels[pattern];
  const index = /\.(\d+)(?=\.|$)/.exec(path)?.[1];
  if (base) return index === undefined ? base : base.replace('#', String(Number(index) + 1));
  return path;
}

function sentence(label: string, message: string): string {
  const text = `${label} ${message}`.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface ZodErrorOptions {
  /** Prepended to every path (forms that share a page keep their ids apart). */
  prefix?: string;
  /** Paths whose items are edited in one control (a textarea of lines): their errors go to that control. */
  groups?: readonly string[];
  /** Whole messages for a path, where "<label> <zod message>" would read badly. */
  messages?: Readonly<Record<string, string>>;
}

/** Every issue of a failed parse, one per field (the first wins), in field order. */
export function errorsFromZod(error: z.ZodError, labels: Labels, options: ZodErrorOptions | string = {}): FieldErrors {
  const { prefix = '', groups = [], messages = {} } = typeof options === 'string' ? { prefix: options } : options;
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const segments = issue.path.map(String);
    if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) segments.push(issue.keys[0]);
    const rawPath = segments.join('.');
    const group = groups.find((g) => rawPath === g || rawPath.startsWith(`${g}.`));
    const path = group ?? rawPath;
    const id = fieldId([prefix, path].filter(Boolean).join('.') || 'form');
    if (out[id]) continue;
    const message = issue.message.replace(/^Invalid input: /, '').replace(/^Invalid option: .*/, 'must be chosen');
    out[id] = messages[path] ?? sentence(labelFor(rawPath, labels), message);
  }
  return out;
}

/** A refusal from the store, placed on its field when it names one. */
export function errorsFromResult(error: ErrorShape, labels: Labels, fallbackId = 'form'): FieldErrors {
  if (!error.field) return { [fallbackId]: error.message };
  const label = labelFor(error.field, labels);
  // The dispatcher writes "<field path> <message>": swap the path for the label.
  const message = error.message.startsWith(error.field) ? sentence(label, error.message.slice(error.field.length).replace(/^[:\s]+/, '')) : error.message;
  return { [fieldId(error.field)]: message };
}
