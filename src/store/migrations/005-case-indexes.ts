// Indexes for the case list's filters and sorts (issue 18). Each sort has an index that leads with its
// order and carries every column the list filters on, so a page walks it in order and stops at its last
// row without reading a case's row; status and area lead their own, for the counts. Risk has one per
// direction, since its first column has only three values (see src/store/case-queries.ts, and the plans
// in docs/query-plans.md).
import type { Migration } from '../../vault/migrate.js';

const FILTERED = 'status, closed_only, area COLLATE NOCASE';

const schema = `
CREATE INDEX cases_by_review_date ON cases (review_date, risk_rank DESC, id, ${FILTERED});
CREATE INDEX cases_by_risk_desc ON cases (risk_rank DESC, review_date, id, ${FILTERED});
CREATE INDEX cases_by_risk_asc ON cases (risk_rank, review_date, id, ${FILTERED});
CREATE INDEX cases_by_reference ON cases (ref_year, ref_seq, risk_rank, review_date, ${FILTERED});
CREATE INDEX cases_by_referral_date ON cases (referral_date, id, risk_rank, review_date, ${FILTERED});
CREATE INDEX cases_by_updated_at ON cases (updated_at, id, risk_rank, review_date, ${FILTERED});
CREATE INDEX cases_by_status ON cases (status, risk_rank, review_date, closed_only, area COLLATE NOCASE);
CREATE INDEX cases_by_area ON cases (area COLLATE NOCASE, status, risk_rank, review_date, closed_only);
`;

export const migration: Migration = { version: 5, name: 'case-indexes', up: (sql) => sql.exec(schema) };
