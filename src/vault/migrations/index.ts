// Numbered migrations. Append only: a shipped migration is never edited, a fix is a new number.
import { up as store } from './001-store.js';
import { up as auditLog } from './002-audit-log.js';
import { up as cases } from './003-cases.js';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'store', up: store },
  { version: 2, name: 'audit-log', up: auditLog },
  { version: 3, name: 'cases', up: cases },
];
