// Case notes: their rows and the objects made from them.
import type { CaseNote } from '../contract/ops/cases.js';
import type { Sql } from '../vault/database.js';
import { unguessableId } from './ids.js';
import { sql, sqlInsertColumns } from './sql.js';
import { noteVisible, type Viewer } from './visibility.js';

export interface NoteRow {
  id: number;
  case_id: number;
  author_id: number;
  /** The author's display name, joined from users. */
  author: string;
  at: string;
  classification: CaseNote['classification'];
  closed_only: number;
  body: string;
}

export function toNote(n: NoteRow): CaseNote {
  return {
    id: n.id,
    caseId: n.case_id,
    author: { id: n.author_id, displayName: n.author },
    at: n.at,
    classification: n.classification,
    closedOnly: n.closed_only === 1,
    body: n.body,
  };
}

export interface NewNote {
  body: string;
  classification: CaseNote['classification'];
  closedOnly: boolean;
}

export async function insertNote(db: Sql, caseId: number, userId: number, note: NewNote, at = new Date().toISOString()): Promise<number> {
  const id = await unguessableId(db, 'case_notes');
  const columns = sqlInsertColumns({
    id,
    case_id: caseId,
    author_id: userId,
    at,
    classification: note.classification,
    closed_only: note.closedOnly,
    body: note.body,
  });
  await db.run(sql`INSERT INTO main.case_notes ${columns}`);
  return id;
}

/** The notes on a case the viewer may see, newest first. */
export async function loadNotes(db: Sql, viewer: Viewer, caseId: number): Promise<CaseNote[]> {
  const rows = await db.all<NoteRow>(
    sql`SELECT n.id, n.case_id, n.author_id, u.display_name AS author, n.at, n.classification, n.closed_only, n.body
     FROM case_notes n JOIN users u ON u.id = n.author_id WHERE n.case_id = ${caseId} AND ${noteVisible(viewer)} ORDER BY n.at DESC, n.id DESC`,
  );
  return rows.map(toNote);
}
