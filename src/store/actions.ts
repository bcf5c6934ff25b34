// Actions agreed at meetings and their reviews at later meetings: the SQL and the row → contract mapper.
// An action is closed-only when it says so, when its case is closed-only, or when it was agreed at a
// closed meeting; such actions are left out in SQL for a reader who may not receive them.
import type { MeetingAction } from '../contract/ops/meetings.js';
import { isOverdueAction, type ActionReviewOutcome, type ActionStatus, type FailureReason } from '../domain/meetings.js';
import type { Sql } from '../vault/database.js';
import { unguessableId } from './ids.js';
import { SQL_TRUE, sql, sqlAnd, sqlInsertColumns, sqlJoin, type SqlQuery } from './sql.js';
import type { SeesClosedOnly } from './meetings.js';

interface ActionRow {
  id: number;
  meeting_id: number;
  meeting_date: string;
  area: string;
  meeting_closed: number;
  agenda_item_id: number | null;
  case_id: number | null;
  reference: string | null;
  case_closed_only: number | null;
  description: string;
  owner_org_id: number;
  org_name: string;
  org_statutory: number;
  officer: string;
  due_date: string;
  status: ActionStatus;
  failure_reason: FailureReason | null;
  closed_only: number;
  created_at: string;
  created_by: number;
  creator_name: string;
}

interface ReviewRow {
  action_id: number;
  meeting_id: number;
  meeting_date: string;
  outcome: ActionReviewOutcome;
  new_due_date: string | null;
  failure_reason: FailureReason | null;
  note: string;
  by_user: number;
  by_name: string;
  at: string;
}

const actionSelect = sql`SELECT a.*, m.date AS meeting_date, m.area, m.closed AS meeting_closed, c.reference, c.closed_only AS case_closed_only,
    o.name AS org_name, o.statutory AS org_statutory, u.display_name AS creator_name
  FROM actions a JOIN meetings m ON m.id = a.meeting_id JOIN organisations o ON o.id = a.owner_org_id JOIN users u ON u.id = a.created_by
  LEFT JOIN main.cases c ON c.id = a.case_id`;

export function actionVisible(sees: SeesClosedOnly): SqlQuery {
  return sees ? SQL_TRUE : sql`a.closed_only = 0 AND m.closed = 0 AND (a.case_id IS NULL OR c.closed_only = 0)`;
}

export interface ActionFilter {
  meetingId?: number | undefined;
  caseId?: number | undefined;
  area?: string | undefined;
  status?: readonly ActionStatus[] | undefined;
  organisationId?: number | undefined;
  /** Incomplete and due before this date. */
  overdueOn?: string | undefined;
  /** Actions from earlier meetings of this meeting's area that are still to do, or were reviewed at it. */
  toReviewAt?: { id: number; area: string; date: string; startTime: string } | undefined;
  /** With toReviewAt: only those about a case on that meeting's agenda, or about no case (the meeting page's review). */
  onAgendaOnly?: boolean | undefined;
}

function filterWhere(f: ActionFilter, sees: SeesClosedOnly): SqlQuery {
  const review = f.toReviewAt;
  return sqlAnd([
    actionVisible(sees),
    f.meetingId === undefined ? SQL_TRUE : sql`a.meeting_id = ${f.meetingId}`,
    f.caseId === undefined ? SQL_TRUE : sql`a.case_id = ${f.caseId}`,
    f.area === undefined ? SQL_TRUE : sql`m.area = ${f.area} COLLATE NOCASE`,
    f.status === undefined ? SQL_TRUE : sql`a.status IN (${sqlJoin(f.status)})`,
    f.organisationId === undefined ? SQL_TRUE : sql`a.owner_org_id = ${f.organisationId}`,
    f.overdueOn === undefined ? SQL_TRUE : sql`a.status IN ('open', 'carried_over') AND a.due_date < ${f.overdueOn}`,
    review === undefined ? SQL_TRUE : sql`a.id IN (${toReviewIds(review, f.onAgendaOnly ?? false)})`,
  ]);
}

/** Earlier meetings of the same area (the index on area and date finds them). */
function earlierMeetings(review: NonNullable<ActionFilter['toReviewAt']>): SqlQuery {
  return sql`SELECT em.id FROM meetings em WHERE em.area = ${review.area} COLLATE NOCASE AND em.id <> ${review.id}
    AND (em.date < ${review.date} OR (em.date = ${review.date} AND (em.start_time < ${review.startTime} OR (em.start_time = ${review.startTime} AND em.id < ${review.id}))))`;
}

/**
 * Ids of the actions to review at a meeting: incomplete ones agreed at earlier meetings of its area, and
 * those already reviewed at it. With `onAgendaOnly`, those about the cases on its agenda (found through
 * the partial index by case) and those about no case.
 */
function toReviewIds(review: NonNullable<ActionFilter['toReviewAt']>, onAgendaOnly: boolean): SqlQuery {
  const earlier = earlierMeetings(review);
  const reviewedHere = sql`SELECT rr.action_id FROM action_reviews rr JOIN actions ra ON ra.id = rr.action_id WHERE rr.meeting_id = ${review.id} AND ra.meeting_id IN (${earlier})`;
  if (!onAgendaOnly) {
    return sql`SELECT ta.id FROM actions ta WHERE ta.meeting_id IN (${earlier}) AND ta.status IN ('open', 'carried_over') UNION ${reviewedHere}`;
  }
  return sql`SELECT ta.id FROM actions ta WHERE ta.status IN ('open', 'carried_over') AND ta.case_id IN (
      SELECT ai.case_id FROM agenda_items ai WHERE ai.meeting_id = ${review.id} AND ai.case_id IS NOT NULL AND ai.removed_at IS NULL)
      AND ta.meeting_id IN (${earlier})
    UNION SELECT tn.id FROM actions tn WHERE tn.meeting_id IN (${earlier}) AND tn.status IN ('open', 'carried_over') AND tn.case_id IS NULL
    UNION ${reviewedHere}`;
}

/** How many of the actions to review at a meeting the reader may see. */
export async function countToReview(db: Sql, review: NonNullable<ActionFilter['toReviewAt']>, sees: SeesClosedOnly): Promise<number> {
  const row = await db.get<{
    n: number;
  }>(sql`SELECT count(*) AS n FROM actions a JOIN meetings m ON m.id = a.meeting_id LEFT JOIN main.cases c ON c.id = a.case_id
    WHERE a.id IN (${toReviewIds(review, false)}) AND ${actionVisible(sees)}`);
  return row?.n ?? 0;
}

export async function listActions(
  db: Sql,
  filter: ActionFilter,
  sees: SeesClosedOnly,
  today: string,
  page?: { limit: number; offset: number },
): Promise<{ actions: MeetingAction[]; total: number }> {
  const where = filterWhere(filter, sees);
  const limit = page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``;
  const rows = await db.all<ActionRow>(sql`${actionSelect} WHERE ${where} ORDER BY a.due_date, a.id ${limit}`);
  const total = page
    ? ((
        await db.get<{ n: number }>(
          sql`SELECT count(*) AS n FROM actions a JOIN meetings m ON m.id = a.meeting_id LEFT JOIN main.cases c ON c.id = a.case_id WHERE ${where}`,
        )
      )?.n ?? 0)
    : rows.length;
  return { actions: await withReviews(db, rows, today), total };
}

export async function actionById(db: Sql, actionId: number, sees: SeesClosedOnly, today: string): Promise<MeetingAction | undefined> {
  const row = await db.get<ActionRow>(sql`${actionSelect} WHERE a.id = ${actionId} AND ${actionVisible(sees)}`);
  return row ? (await withReviews(db, [row], today))[0] : undefined;
}

async function withReviews(db: Sql, rows: readonly ActionRow[], today: string): Promise<MeetingAction[]> {
  if (rows.length === 0) return [];
  // Reviews of the listed actions, fetched in one query for the page.
  const reviews = await db.all<ReviewRow>(sql`SELECT r.*, m.date AS meeting_date, u.display_name AS by_name
    FROM action_reviews r JOIN meetings m ON m.id = r.meeting_id JOIN users u ON u.id = r.by_user
    WHERE r.action_id IN (SELECT value FROM json_each(${JSON.stringify(rows.map((r) => r.id))})) ORDER BY r.id`);
  const by = new Map<number, ReviewRow[]>();
  for (const r of reviews) by.set(r.action_id, [...(by.get(r.action_id) ?? []), r]);
  return rows.map((r) => toAction(r, by.get(r.id) ?? [], today));
}

function toAction(r: ActionRow, reviews: readonly ReviewRow[], today: string): MeetingAction {
  return {
    id: r.id,
    meetingId: r.meeting_id,
    meetingDate: r.meeting_date,
    area: r.area,
    agendaItemId: r.agenda_item_id,
    case: r.case_id !== null && r.reference !== null ? { id: r.case_id, reference: r.reference } : null,
    description: r.description,
    ownerOrganisation: { id: r.owner_org_id, name: r.org_name, statutory: r.org_statutory === 1 },
    officer: r.officer,
    dueDate: r.due_date,
    status: r.status,
    failureReason: r.failure_reason,
    overdue: isOverdueAction(r.status, r.due_date, today),
    reviews: reviews.map((v) => ({
      meetingId: v.meeting_id,
      meetingDate: v.meeting_date,
      outcome: v.outcome,
      newDueDate: v.new_due_date,
      failureReason: v.failure_reason,
      note: v.note,
      by: { id: v.by_user, displayName: v.by_name },
      at: v.at,
    })),
    createdBy: { id: r.created_by, displayName: r.creator_name },
    createdAt: r.created_at,
    closedOnly: r.closed_only === 1 || r.meeting_closed === 1 || r.case_closed_only === 1,
  };
}

export async function insertAction(
  db: Sql,
  columns: {
    meeting_id: number;
    agenda_item_id: number | null;
    case_id: number | null;
    description: string;
    owner_org_id: number;
    officer: string;
    due_date: string;
    closed_only: boolean;
    created_at: string;
    created_by: number;
  },
): Promise<number> {
  const id = await unguessableId(db, 'actions');
  await db.run(
    sql`INSERT INTO main.actions ${sqlInsertColumns({ id, ...columns, status: 'open', failure_reason: null, updated_at: columns.created_at })}`,
  );
  return id;
}

export async function actionState(
  db: Sql,
  actionId: number,
): Promise<
  | { id: number; meeting_id: number; status: ActionStatus; due_date: string; area: string; meeting_date: string; meeting_start: string }
  | undefined
> {
  return db.get(sql`SELECT a.id, a.meeting_id, a.status, a.due_date, m.area, m.date AS meeting_date, m.start_time AS meeting_start
    FROM actions a JOIN meetings m ON m.id = a.meeting_id WHERE a.id = ${actionId}`);
}

export async function recordReview(
  db: Sql,
  review: {
    action_id: number;
    meeting_id: number;
    outcome: ActionReviewOutcome;
    new_due_date: string | null;
    failure_reason: FailureReason | null;
    note: string;
    by_user: number;
    at: string;
  },
): Promise<void> {
  await db.run(sql`INSERT INTO main.action_reviews ${sqlInsertColumns(review)}`);
  const due = review.new_due_date === null ? sql`due_date` : sql`${review.new_due_date}`;
  await db.run(sql`UPDATE main.actions SET status = ${review.outcome}, failure_reason = ${review.failure_reason}, due_date = ${due}, updated_at = ${review.at}
    WHERE id = ${review.action_id}`);
}
