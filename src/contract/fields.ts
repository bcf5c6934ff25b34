// Field classification. Every field of a case or person schema is declared as one of five kinds; an
// audience profile (later: the redactor) maps each kind to keep, replace or drop. Declared here, beside
// the schemas, so a new field cannot ship without someone deciding how it is redacted.
import { z } from 'zod';

export const CLASSIFICATIONS = ['direct_identifier', 'quasi_identifier', 'special_category', 'free_text', 'safe'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const CLASSIFICATION_LABELS: Readonly<Record<Classification, string>> = {
  direct_identifier: 'Direct identifier (names, addresses, reference numbers, contact details)',
  quasi_identifier: 'Quasi-identifier (date of birth, area, postcode: identifying in combination)',
  special_category: 'Special category or criminal-offence data (UK GDPR Art. 9 and 10)',
  free_text: 'Free text (may mention anything: scanned for identifiers before release)',
  safe: 'Safe (codes, dates of process, flags)',
};

export const fieldRegistry = z.registry<{ classification: Classification }>();

/**
 * Declares how a field is classified. Registers a clone, so a shared schema (e.g. an id) can carry a
 * different classification in each place it is used.
 */
export function classified<T extends z.ZodType>(schema: T, classification: Classification): T {
  const copy = schema.clone() as T;
  fieldRegistry.add(copy, { classification });
  return copy;
}

export function classificationOf(schema: z.ZodType): Classification | undefined {
  let current: z.ZodType | undefined = schema;
  while (current) {
    const found = fieldRegistry.get(current);
    if (found) return found.classification;
    current = innerOf(current);
  }
  return undefined;
}

function innerOf(schema: z.ZodType): z.ZodType | undefined {
  const def = schema.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
  if (def.innerType) return def.innerType; // optional, nullable, default, prefault, readonly, catch
  if (def.type === 'pipe') return def.in;
  return undefined;
}

/** The parts of a zod schema's definition the walks below descend into. */
type SchemaDef = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
};

/**
 * Every leaf field of a schema as a dotted path ("addresses[].postcode") with its classification, or
 * undefined where none is declared. A classification on a container applies to the leaves inside it
 * unless a leaf declares its own.
 */
export function fieldClassifications(schema: z.ZodType, path = '', inherited?: Classification): Map<string, Classification | undefined> {
  const out = new Map<string, Classification | undefined>();
  const own = fieldRegistry.get(schema)?.classification ?? inherited;
  const def = schema.def as SchemaDef;
  if (def.type === 'object' && def.shape) {
    for (const [key, field] of Object.entries(def.shape)) {
      for (const [p, c] of fieldClassifications(field, path ? `${path}.${key}` : key, own)) out.set(p, c);
    }
  } else if (def.type === 'array' && def.element) {
    for (const [p, c] of fieldClassifications(def.element, `${path}[]`, own)) out.set(p, c);
  } else if (def.type === 'union' && def.options) {
    for (const option of def.options) for (const [p, c] of fieldClassifications(option, path, own)) out.set(p, c);
  } else if (def.innerType || (def.type === 'pipe' && def.in)) {
    for (const [p, c] of fieldClassifications((def.innerType ?? def.in)!, path, own)) out.set(p, c);
  } else {
    out.set(path, own);
  }
  return out;
}

/** Fields that carry a secret (a passphrase, a recovery key): never on a command line, never in a log. */
export const secretRegistry = z.registry<{ secret: true }>();

export function secret<T extends z.ZodType>(schema: T): T {
  const copy = schema.clone() as T;
  secretRegistry.add(copy, { secret: true });
  return copy;
}

/** The dotted paths of the secret fields anywhere in a schema. */
export function secretFieldPaths(schema: z.ZodType, path = ''): string[] {
  if (secretRegistry.has(schema)) return [path];
  const def = schema.def as SchemaDef;
  if (def.type === 'object' && def.shape)
    return Object.entries(def.shape).flatMap(([key, field]) => secretFieldPaths(field, path ? `${path}.${key}` : key));
  if (def.type === 'array' && def.element) return secretFieldPaths(def.element, `${path}[]`);
  if (def.type === 'union' && def.options) return def.options.flatMap((option) => secretFieldPaths(option, path));
  if (def.innerType || (def.type === 'pipe' && def.in)) return secretFieldPaths((def.innerType ?? def.in)!, path);
  return [];
}
