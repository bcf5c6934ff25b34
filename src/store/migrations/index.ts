// Numbered migrations of the store's schema. Append only: a shipped migration is never edited, a fix is
// a new number. Each is a function, so a data migration can run code; each runs in its own transaction.
import type { Migration } from '../../vault/migrate.js';
import { migration as store } from './001-store.js';
import { migration as auditLog } from './002-audit-log.js';
import { migration as cases } from './003-cases.js';
import { migration as meetings } from './004-meetings.js';
import { migration as caseIndexes } from './005-case-indexes.js';
import { migration as agreements } from './006-agreements.js';
import { migration as enforcement } from './007-enforcement.js';
import { migration as closedOnlyRelease } from './008-closed-only-release.js';
import { migration as retention } from './009-retention.js';
import { migration as erasure } from './010-erasure.js';
import { migration as searchPrefixes } from './011-search-prefixes.js';
import { migration as erasureReach } from './012-erasure-reach.js';
import { migration as closedStore } from './013-closed-store.js';
import { migration as closedPeople } from './014-closed-people.js';
import { migration as closedMinutes } from './015-closed-minutes.js';
import { migration as closedAgenda } from './016-closed-agenda.js';
import { migration as closedEnforcement } from './017-closed-enforcement.js';
import { migration as closedSpans } from './018-closed-spans.js';

export const MIGRATIONS: readonly Migration[] = [
  store,
  auditLog,
  cases,
  meetings,
  caseIndexes,
  agreements,
  enforcement,
  closedOnlyRelease,
  retention,
  erasure,
  searchPrefixes,
  erasureReach,
  closedStore,
  closedPeople,
  closedMinutes,
  closedAgenda,
  closedEnforcement,
  closedSpans,
];
