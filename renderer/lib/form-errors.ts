// Turning problems into messages beside their fields. Problems are found by the contract's own zod
// schemas (read with the contract's fieldIssues, as the dispatcher and the CLI read them), by the screen
// (a confirmation that does not match), or by the store (a typed error naming one field). They are kept
// by field path until the last step, which turns each path into the id of its control.
import type { z } from 'zod';
import type { ErrorShape } from '../../src/contract/errors.js';
import { fieldIssues } from '../../src/contract/zod-issues.js';
import { fieldId } from '../components/focus.js';
import type { FieldErrors } from '../components/form.js';
import type { Labels } from './labels.js';

/** Field path → message; an undefined message is no problem (so checks can be written inline). */
export type Problems = Readonly<Record<string, string | undefined>>;

export interface FieldMap {
  /** Field path → label; see labels.ts. */
  labels?: Labels;
  /** Prepended to every id (forms that share a page keep their ids apart): "note" + "body" → "note-body". */
  prefix?: string;
  /** Field path → control id, where the id does not follow the path. */
  ids?: Readonly<Record<string, string>>;
  /** Paths whose items are edited in one control (a textarea of lines): their problems go to that control. */
  groups?: readonly string[];
  /** Whole messages for a path (as zod names it, before grouping), where "<label> <zod message>" would read badly. */
  messages?: Readonly<Record<string, string>>;
  /** Control ids in the order the summary lists them; ids not named follow in the order found. */
  order?: readonly string[];
}

function labelFor(path: string, labels: Labels): string {
  if (labels[path]) return labels[path];
  // locations.0.label → "Location 1 name" via a pattern entry such as "locations.*.label".
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

function grouped(path: string, groups: readonly string[]): string {
  return groups.find((g) => path === g || path.startsWith(`${g}.`)) ?? path;
}

export function controlId(path: string, map: FieldMap): string {
  return map.ids?.[path] ?? fieldId([map.prefix ?? '', path].filter(Boolean).join('.') || 'form');
}

/** Every issue of a failed parse, one per field (the first wins), by field path. */
export function problemsFromZod(error: z.ZodError, map: FieldMap = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of fieldIssues(error)) {
    const path = grouped(issue.path, map.groups ?? []);
    if (out[path]) continue;
    const message = issue.message.replace(/^Invalid option: .*/, 'must be chosen');
    out[path] = map.messages?.[issue.path] ?? sentence(labelFor(issue.path, map.labels ?? {}), message);
  }
  return out;
}

/** A refusal from the store, on its field when it names one, else on the fallback field. */
export function problemsFromRefusal(error: ErrorShape, map: FieldMap, fallback: string): Record<string, string> {
  if (!error.field) return { [fallback]: error.message };
  // The dispatcher writes "<field path> <message>": swap the path for the label.
  const message = error.message.startsWith(error.field)
    ? sentence(labelFor(error.field, map.labels ?? {}), error.message.slice(error.field.length).replace(/^[:\s]+/, ''))
    : error.message;
  return { [grouped(error.field, map.groups ?? [])]: message };
}

/** Problems by path → errors by control id, the first for a control winning, in the map's order. */
export function fieldErrors(problems: Problems, map: FieldMap = {}): FieldErrors {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(problems)) {
    const id = controlId(path, map);
    if (message !== undefined && out[id] === undefined) out[id] = message;
  }
  const order = map.order;
  if (!order) return out;
  const rank = (id: string) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => rank(a) - rank(b)));
}
