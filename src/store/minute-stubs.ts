// What the open store keeps of a minute paragraph whose content is sealed (issue 15: 1; docs/closed-store.md).
// A paragraph hidden whole (its own mark, its meeting's, its case's) keeps a blank. A paragraph a
// non-statutory member reads, with closed-only spans in it, keeps its open words and a filler of the same
// length in place of each span: the spans' offsets still fit it, so the member's reading (redactSpans)
// is what it was before, with no offset arithmetic anywhere.
import { fillSpans } from '../domain/meetings.js';
import type { Row, Sql } from '../vault/database.js';
import { sql } from './sql.js';

/** The stub of one sealed paragraph, from its full text (the closed copy) and what the open store says of it. */
export async function minuteParagraphStub(db: Sql, id: number, content: Row): Promise<Row> {
  const row = await db.get<{ closed_content: number }>(sql`SELECT closed_content FROM main.minute_paragraphs WHERE id = ${id}`);
  if (!row || row.closed_content === 1) return { text: '' };
  const spans = await db.all<{ start_offset: number; end_offset: number }>(
    sql`SELECT start_offset, end_offset FROM main.minute_spans WHERE paragraph_id = ${id} ORDER BY start_offset`,
  );
  return {
    text: fillSpans(
      String(content.text),
      spans.map((s) => ({ start: s.start_offset, end: s.end_offset })),
    ),
  };
}
