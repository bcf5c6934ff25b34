// Numbered migrations of the closed database's own schema (its PRAGMA user_version counts these, apart
// from the open store's). Append only, as src/store/migrations.
import type { Migration } from '../../vault/migrate.js';
import { migration as closedContent } from './001-closed-content.js';
import { migration as closedPeople } from './002-closed-people.js';
import { migration as closedMinutes } from './003-closed-minutes.js';
import { migration as closedAgenda } from './004-closed-agenda.js';
import { migration as closedEnforcement } from './005-closed-enforcement.js';

export const CLOSED_MIGRATIONS: readonly Migration[] = [closedContent, closedPeople, closedMinutes, closedAgenda, closedEnforcement];
