// The one list of operations. Adding an area means adding its module here; the dispatcher, the CLI's
// `ops` listing and the access-matrix tests pick it up from this object.
import type { z } from 'zod';
import { adminOperations } from './ops/admin.js';
import { agreementOperations } from './ops/agreements.js';
import { auditOperations } from './ops/audit.js';
import { backupOperations } from './ops/backup.js';
import { caseOperations } from './ops/cases.js';
import { exportOperations } from './ops/exports.js';
import { enforcementOperations } from './ops/enforcement.js';
import { meetingOperations } from './ops/meetings.js';
import { peopleOperations } from './ops/people.js';
import { retentionOperations } from './ops/retention.js';
import { erasureOperations } from './ops/erasure.js';
import type { OperationDefinition } from './operation.js';

export const operations = {
  ...adminOperations,
  ...auditOperations,
  ...peopleOperations,
  ...caseOperations,
  ...meetingOperations,
  ...agreementOperations,
  ...exportOperations,
  ...enforcementOperations,
  ...backupOperations,
  ...retentionOperations,
  ...erasureOperations,
} satisfies Record<string, OperationDefinition>;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>;
export type ParsedInputOf<N extends OperationName> = z.output<Operations[N]['input']>;
export type OutputOf<N extends OperationName> = z.output<Operations[N]['output']>;

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(operations, name);
}
