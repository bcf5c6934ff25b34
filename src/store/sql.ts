// SQL text and its parameters travel together. A query is built with the `sql` tag; values become `?`
// parameters, nested queries are spliced with their parameters in order, and nothing is ever pasted into
// the text by hand. Identifiers (column names) come only from code, through `sqlIdentifier`.
// (The shape follows Signal Desktop's sqlFragment / sqlJoin.)
import type { SqlValue } from '../vault/database.js';

export class SqlQuery {
  constructor(
    readonly text: string,
    readonly params: readonly SqlValue[],
  ) {}
}

export type SqlPart = SqlValue | boolean | SqlQuery;

function bind(value: SqlValue | boolean): SqlValue {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** `sql\`SELECT * FROM cases WHERE id = ${id} AND ${visible}\`` → text with `?` and its parameters. */
export function sql(strings: TemplateStringsArray, ...parts: readonly SqlPart[]): SqlQuery {
  let text = strings[0]!;
  const params: SqlValue[] = [];
  parts.forEach((part, i) => {
    if (part instanceof SqlQuery) {
      text += part.text;
      params.push(...part.params);
    } else {
      text += '?';
      params.push(bind(part));
    }
    text += strings[i + 1]!;
  });
  return new SqlQuery(text, params);
}

/** Joins queries (or values, each bound as a parameter) with a separator: `sqlJoin(ids)` → `?, ?, ?`. */
export function sqlJoin(parts: readonly SqlPart[], separator = ', '): SqlQuery {
  const texts: string[] = [];
  const params: SqlValue[] = [];
  for (const part of parts) {
    if (part instanceof SqlQuery) {
      texts.push(part.text);
      params.push(...part.params);
    } else {
      texts.push('?');
      params.push(bind(part));
    }
  }
  return new SqlQuery(texts.join(separator), params);
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A column or table name written in code. Refuses anything but a plain lower-case identifier. */
export function sqlIdentifier(name: string): SqlQuery {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${JSON.stringify(name.slice(0, 40))}`);
  return new SqlQuery(name, []);
}

/** `1` or the condition: for optional filters joined with AND. */
export const SQL_TRUE = new SqlQuery('1', []);

/** `a AND b AND …` (SQL_TRUE when empty). */
export function sqlAnd(conditions: readonly SqlQuery[]): SqlQuery {
  return conditions.length === 0
    ? SQL_TRUE
    : sqlJoin(
        conditions.map((c) => sql`(${c})`),
        ' AND ',
      );
}

/**
 * `a = ?, b = ?` (for `UPDATE … SET`) from an object of column → value; the column names must be
 * identifiers. A column whose value is undefined is left out, so an update can be typed as a partial row.
 */
export function sqlAssignments(columns: Readonly<Record<string, SqlValue | boolean | undefined>>): SqlQuery {
  const given = Object.entries(columns).filter((entry): entry is [string, SqlValue | boolean] => entry[1] !== undefined);
  return sqlJoin(given.map(([name, value]) => sql`${sqlIdentifier(name)} = ${value}`));
}

/** `(a, b) VALUES (?, ?)` from an object of column → value. */
export function sqlInsertColumns(columns: Readonly<Record<string, SqlValue | boolean>>): SqlQuery {
  const names = sqlJoin(Object.keys(columns).map(sqlIdentifier));
  return sql`(${names}) VALUES (${sqlJoin(Object.values(columns))})`;
}

/** `(?, ?), (?, ?)` for a multi-row `INSERT … VALUES`: one statement however many rows. */
export function sqlRows(rows: readonly (readonly (SqlValue | boolean)[])[]): SqlQuery {
  return sqlJoin(rows.map((row) => sql`(${sqlJoin(row)})`));
}
