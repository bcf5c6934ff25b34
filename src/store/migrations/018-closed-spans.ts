// The closed-only spans of an open paragraph join the closed database (issue 15: 1; docs/closed-store.md).
// A paragraph a non-statutory member reads may hold spans (minute_spans) only statutory partners may read.
// Such a paragraph is sealed too: the closed database keeps its full text (closed_minute_paragraphs, as for
// a paragraph hidden whole), and the open store keeps its open words with each span's characters replaced
// by a filler of the same length (src/store/minute-stubs.ts), so the spans' offsets still fit it.
// `seal_mark` is what the paragraph is sealed by now: its `closed_content` (015), or a span in it. Because
// the stub depends on the spans and on `closed_content`, a trigger marks a sealed paragraph's stub
// `stub_stale` when either changes, in the transaction of the change; the reconciliation computes the stub
// again from the closed copy. Neither column is in the guards of approved minutes: they classify the
// content, they do not change it. Moving the text needs the closed key: it happens at the next unlock by a
// manager or statutory partner (src/store/closed-store.ts), not here.
import type { Migration } from '../../vault/migrate.js';

const hasSpan = (paragraphId: string) => `EXISTS (SELECT 1 FROM minute_spans s WHERE s.paragraph_id = ${paragraphId})`;
const rule = `(closed_content = 1 OR ${hasSpan('minute_paragraphs.id')})`;

/** Sets the mark of the paragraphs `where` selects and, on a sealed one whose inputs changed, marks its stub stale. */
const follow = (where: string) =>
  `UPDATE minute_paragraphs SET seal_mark = ${rule}, stub_stale = (stub_stale = 1 OR sealed = 1) WHERE ${where};`;

const schema = `
ALTER TABLE minute_paragraphs ADD COLUMN seal_mark INTEGER NOT NULL DEFAULT 0 CHECK (seal_mark IN (0, 1));
ALTER TABLE minute_paragraphs ADD COLUMN stub_stale INTEGER NOT NULL DEFAULT 0 CHECK (stub_stale IN (0, 1));
-- The triggers below find a paragraph's spans by the paragraph alone.
CREATE INDEX minute_spans_by_paragraph ON minute_spans (paragraph_id);

CREATE TRIGGER minute_paragraphs_seal_mark_ai AFTER INSERT ON minute_paragraphs BEGIN
  UPDATE minute_paragraphs SET seal_mark = ${rule} WHERE id = NEW.id AND seal_mark IS NOT ${rule};
END;
CREATE TRIGGER minute_paragraphs_seal_mark_au AFTER UPDATE OF closed_content ON minute_paragraphs
  WHEN NEW.closed_content IS NOT OLD.closed_content BEGIN
  ${follow('id = NEW.id')}
END;
CREATE TRIGGER minute_spans_seal_mark_ai AFTER INSERT ON minute_spans BEGIN
  ${follow('id = NEW.paragraph_id')}
END;
CREATE TRIGGER minute_spans_seal_mark_au AFTER UPDATE ON minute_spans BEGIN
  ${follow('id IN (OLD.paragraph_id, NEW.paragraph_id)')}
END;
CREATE TRIGGER minute_spans_seal_mark_ad AFTER DELETE ON minute_spans BEGIN
  ${follow('id = OLD.paragraph_id')}
END;

UPDATE minute_paragraphs SET seal_mark = ${rule};

-- Paragraphs are sealed by seal_mark from now on; a stale stub is found from its own small index.
DROP INDEX minute_paragraphs_to_seal;
DROP INDEX minute_paragraphs_to_unseal;
CREATE INDEX minute_paragraphs_to_seal ON minute_paragraphs (id) WHERE seal_mark = 1 AND sealed = 0;
CREATE INDEX minute_paragraphs_to_unseal ON minute_paragraphs (id) WHERE seal_mark = 0 AND sealed = 1;
CREATE INDEX minute_paragraphs_to_restub ON minute_paragraphs (id) WHERE stub_stale = 1;
`;

export const migration: Migration = { version: 18, name: 'closed-spans', up: (sql) => sql.exec(schema) };
