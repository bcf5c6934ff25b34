// Prefix indexes of four letters for search (issue 18). Search as you type makes every word a prefix
// query ("road"*, "lcsp"*, "2018"*); for a length the index has no prefix index for, FTS5 reads the
// doclist of every term that starts with it and merges them in memory before it can skip a single row.
// At 100,000 cases that is most of a search's time for a common four-letter word: "road"* is in about
// 190,000 addresses and as many notes, "lcsp"* in every reference. With a prefix index of that length,
// the prefix is one doclist that an AND with a rarer word skips through. Names, addresses and references
// keep their two- and three-letter prefixes and add four; notes, which match a prefix only on a last word
// of four letters or more (src/store/search.ts ftsQuery), get the four-letter one. Results are unchanged:
// a prefix index only changes how FTS5 finds the same rows.
//
// FTS5 fixes the prefix option when a table is created, so each table is made again and filled from what
// it indexes, with the same columns, tokenizer and triggers (the triggers name the table, so they carry
// on). Any option set on the old table (such as 'secure-delete') is set again on the new one.
import type { Sql } from '../../vault/database.js';
import type { Migration } from '../../vault/migrate.js';

const TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'";

const TABLES = [
  {
    name: 'people_fts',
    create: `CREATE VIRTUAL TABLE people_fts USING fts5(names, aliases, identifiers, addresses, ${TOKENIZE}, prefix = '2 3 4')`,
    fill: 'INSERT INTO people_fts (rowid, names, aliases, identifiers, addresses) SELECT * FROM people_fts_source',
  },
  {
    name: 'cases_fts',
    create: `CREATE VIRTUAL TABLE cases_fts USING fts5(reference, locations, ${TOKENIZE}, prefix = '2 3 4')`,
    fill: 'INSERT INTO cases_fts (rowid, reference, locations) SELECT * FROM cases_fts_source',
  },
  {
    name: 'notes_fts',
    create: `CREATE VIRTUAL TABLE notes_fts USING fts5(body, ${TOKENIZE}, prefix = '4')`,
    fill: 'INSERT INTO notes_fts (rowid, body) SELECT id, body FROM case_notes',
  },
] as const;

/** Options set on an FTS5 table (its config rows, less the format version FTS5 writes itself). */
async function options(sql: Sql, table: string): Promise<{ k: string; v: string | number }[]> {
  return sql.all<{ k: string; v: string | number }>(`SELECT k, v FROM ${table}_config WHERE k <> 'version'`);
}

export const migration: Migration = {
  version: 11,
  name: 'search-prefixes',
  up: async (sql) => {
    for (const table of TABLES) {
      const kept = await options(sql, table.name);
      await sql.exec(`DROP TABLE ${table.name}; ${table.create};`);
      for (const { k, v } of kept) await sql.run(`INSERT INTO ${table.name} (${table.name}, rank) VALUES (?, ?)`, [k, v]);
      await sql.exec(`${table.fill}; INSERT INTO ${table.name} (${table.name}) VALUES ('optimize');`);
    }
  },
};
