// The outcome indicators of the terms of reference, counted in SQL by period (month, quarter or the whole
// range) so a year of a large partnership is a handful of grouped scans, not a walk over rows.
import type { PeriodGranularity } from '../domain/enforcement.js';
import type { Sql } from '../vault/database.js';
import { SQL_TRUE, sql, sqlIdentifier, type SqlQuery } from './sql.js';

export interface OutcomeQuery {
  from: string;
  to: string;
  area: string | undefined;
  granularity: PeriodGranularity;
}

/** The period a date column falls in, as SQL (matches periodOf in the domain). */
function periodOfColumn(alias: string, column: string, granularity: PeriodGranularity): SqlQuery {
  const col = sql`substr(${sqlIdentifier(alias)}.${sqlIdentifier(column)}, 1, 10)`;
  if (granularity === 'whole') return sql`'whole'`;
  if (granularity === 'month') return sql`substr(${col}, 1, 7)`;
  return sql`substr(${col}, 1, 4) || '-Q' || ((CAST(substr(${col}, 6, 2) AS INTEGER) + 2) / 3)`;
}

function inRange(alias: string, column: string, q: OutcomeQuery): SqlQuery {
  const col = sql`${sqlIdentifier(alias)}.${sqlIdentifier(column)}`;
  // Timestamps (case transitions) compare by their date part; `to` includes the whole day.
  return sql`${col} >= ${q.from} AND ${col} < ${q.to + 'T99'}`;
}

function inArea(alias: string, q: OutcomeQuery): SqlQuery {
  return q.area === undefined ? SQL_TRUE : sql`${sqlIdentifier(alias)}.area = ${q.area} COLLATE NOCASE`;
}

export interface Counted {
  period: string;
  key: string;
  n: number;
}

/** Each indicator as (period, key, count) rows; `key` is the enforcement type or '' for the single-figure indicators. */
export async function countIndicators(db: Sql, q: OutcomeQuery): Promise<Record<string, Counted[]>> {
  const g = q.granularity;
  const count = (query: SqlQuery) => db.all<Counted>(query);
  const [enforcement, escalations, closed, breaches, activities, received, notMet, reviews] = await Promise.all([
    count(sql`SELECT ${periodOfColumn('e', 'issued_on', g)} AS period, e.type AS key, count(*) AS n FROM enforcement e
      WHERE ${inRange('e', 'issued_on', q)} AND ${inArea('e', q)} GROUP BY 1, 2`),
    count(sql`SELECT ${periodOfColumn('x', 'referred_on', g)} AS period, '' AS key, count(*) AS n FROM escalations x JOIN cases c ON c.id = x.case_id
      WHERE ${inRange('x', 'referred_on', q)} AND ${inArea('c', q)} GROUP BY 1`),
    count(sql`SELECT ${periodOfColumn('t', 'at', g)} AS period, COALESCE(t.outcome, '') AS key, count(*) AS n FROM case_transitions t JOIN cases c ON c.id = t.case_id
      WHERE t.to_status = 'closed' AND ${inRange('t', 'at', q)} AND ${inArea('c', q)} GROUP BY 1, 2`),
    count(sql`SELECT ${periodOfColumn('b', 'date', g)} AS period, '' AS key, count(*) AS n FROM enforcement_breaches b JOIN enforcement e ON e.id = b.enforcement_id
      WHERE ${inRange('b', 'date', q)} AND ${inArea('e', q)} GROUP BY 1`),
    count(sql`SELECT ${periodOfColumn('a', 'date', g)} AS period, a.kind AS key, count(*) AS n FROM partnership_activities a
      WHERE ${inRange('a', 'date', q)} AND ${inArea('a', q)} GROUP BY 1, 2`),
    count(sql`SELECT ${periodOfColumn('t', 'application_date', g)} AS period, '' AS key, count(*) AS n FROM community_triggers t
      WHERE ${inRange('t', 'application_date', q)} AND ${inArea('t', q)} GROUP BY 1`),
    count(sql`SELECT ${periodOfColumn('t', 'application_date', g)} AS period, '' AS key, count(*) AS n FROM community_triggers t
      WHERE t.decision_met = 0 AND ${inRange('t', 'application_date', q)} AND ${inArea('t', q)} GROUP BY 1`),
    count(sql`SELECT ${periodOfColumn('t', 'review_date', g)} AS period,
        CASE WHEN EXISTS (SELECT 1 FROM community_trigger_recommendations r WHERE r.trigger_id = t.id) THEN 'with' ELSE 'without' END AS key, count(*) AS n
      FROM community_triggers t WHERE t.review_date IS NOT NULL AND ${inRange('t', 'review_date', q)} AND ${inArea('t', q)} GROUP BY 1, 2`),
  ]);
  return { enforcement, escalations, closed, breaches, activities, received, notMet, reviews };
}
