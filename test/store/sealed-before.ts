// What the code before a migration sealed, for the migration tests that build a store as it made one.
import type { SealedTable } from '../../src/store/closed-tables.js';

/** Before 018, paragraphs were sealed by `closed_content` alone, with a blank stub (no computed one). */
export const asBefore018 = (tables: readonly SealedTable[]): SealedTable[] =>
  tables.map(({ computedStub: _later, ...table }) => (table.table === 'minute_paragraphs' ? { ...table, mark: 'closed_content' } : table));
