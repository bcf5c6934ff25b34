// Releasing a closed-only case: what it holds that is marked closed-only (notes, lifecycle steps, links,
// enforcement records), and the release itself, which clears the case's mark and the marks of the items a
// manager released. Not listed, because clearing the case's mark shows none of them to anyone new: what was
// said about the case at a closed meeting (agenda, minutes, decisions, actions stay closed with the meeting,
// and a closed-only case cannot be put on an open meeting's agenda), and escalations and Community Triggers,
// which only statutory partners and managers read. Should those ever reach non-statutory members, they need
// their own mark first, as enforcement records have.
import type { ReleaseItem } from '../contract/ops/cases.js';
import type { Sql } from '../vault/database.js';
import { sql, sqlInsertColumns, sqlJoin } from './sql.js';

export type ReleaseKind = ReleaseItem['kind'];

interface ItemRow {
  kind: ReleaseKind;
  id: number;
  at: string;
  by_id: number;
  by_name: string;
  text: string;
}

/** Every closed-only note, step, link and enforcement record of a case, oldest first. */
export async function closedOnlyItems(db: Sql, caseId: number): Promise<ReleaseItem[]> {
  const rows = await db.all<ItemRow>(
    sql`SELECT 'note' AS kind, n.id, n.at, n.author_id AS by_id, u.display_name AS by_name, n.body AS text
        FROM case_notes n JOIN users u ON u.id = n.author_id WHERE n.case_id = ${caseId} AND n.closed_only = 1
      UNION ALL
      SELECT 'transition', t.id, t.at, t.by_user, u.display_name,
        coalesce(t.from_status, '') || ' → ' || t.to_status || ': ' || t.reason
        FROM case_transitions t JOIN users u ON u.id = t.by_user WHERE t.case_id = ${caseId} AND t.closed_only = 1
      UNION ALL
      SELECT 'link', c.id, l.created_at, l.created_by, u.display_name, c.reference || ': ' || l.reason
        FROM (SELECT other_case_id AS other, reason, created_at, created_by FROM case_links WHERE case_id = ${caseId} AND closed_only = 1
              UNION ALL SELECT case_id, reason, created_at, created_by FROM case_links WHERE other_case_id = ${caseId} AND closed_only = 1) l
        JOIN cases c ON c.id = l.other JOIN users u ON u.id = l.created_by
      UNION ALL
      SELECT 'enforcement', e.id, e.created_at, e.created_by, u.display_name,
        e.type || ' (' || e.stage || ')' || CASE WHEN e.conditions = '' THEN '' ELSE ': ' || e.conditions END
        FROM enforcement e JOIN users u ON u.id = e.created_by WHERE e.case_id = ${caseId} AND e.closed_only = 1

      ORDER BY 3, 1, 2`,
  );
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    at: r.at,
    by: { id: r.by_id, displayName: r.by_name },
    text: r.text,
    closedOnly: true,
  }));
}

export interface Release {
  caseId: number;
  reason: string;
  released: readonly { kind: ReleaseKind; id: number }[];
  kept: readonly { kind: ReleaseKind; id: number }[];
  userId: number;
  at: string;
}

/** Clears the case's mark and the released items' marks, and records the release. The review is the caller's. */
export async function releaseCase(db: Sql, release: Release): Promise<void> {
  const ids = (kind: ReleaseKind) => release.released.filter((r) => r.kind === kind).map((r) => r.id);
  const { caseId } = release;
  const notes = ids('note');
  const steps = ids('transition');
  const links = ids('link');
  const enforcement = ids('enforcement');
  if (enforcement.length > 0)
    await db.run(sql`UPDATE main.enforcement SET closed_only = 0 WHERE case_id = ${caseId} AND id IN (${sqlJoin(enforcement)})`);
  if (notes.length > 0)
    await db.run(sql`UPDATE main.case_notes SET closed_only = 0 WHERE case_id = ${caseId} AND id IN (${sqlJoin(notes)})`);
  if (steps.length > 0)
    await db.run(sql`UPDATE main.case_transitions SET closed_only = 0 WHERE case_id = ${caseId} AND id IN (${sqlJoin(steps)})`);
  if (links.length > 0) {
    await db.run(
      sql`UPDATE main.case_links SET closed_only = 0
        WHERE (case_id = ${caseId} AND other_case_id IN (${sqlJoin(links)})) OR (other_case_id = ${caseId} AND case_id IN (${sqlJoin(links)}))`,
    );
  }
  await db.run(sql`UPDATE main.cases SET closed_only = 0, updated_at = ${release.at}, updated_by = ${release.userId} WHERE id = ${caseId}`);
  const columns = sqlInsertColumns({
    case_id: caseId,
    reason: release.reason,
    released: JSON.stringify(release.released),
    kept: JSON.stringify(release.kept),
    by_user: release.userId,
    at: release.at,
  });
  await db.run(sql`INSERT INTO main.case_releases ${columns}`);
}
