// Every operation's handler, checked by the compiler against the contract: an operation without a
// handler, or a handler of the wrong shape, does not build.
import type { OperationName, Operations } from '../contract/operations.js';
import * as agreements from './agreements.js';
import * as audit from './audit.js';
import * as backup from './backup.js';
import * as cases from './cases.js';
import { exportMinutes, exportStatus, listRedactions } from './exports.js';
import { enforcementHandlers } from './enforcement.js';
import * as erasure from './erasure.js';
import { meetingHandlers } from './meetings.js';
import * as people from './people.js';
import * as retention from './retention.js';
import * as search from './search.js';
import * as session from './session.js';
import { subjectAccess } from './subject-access.js';
import * as store from './store.js';
import * as users from './users.js';
import type { Handler, PublicHandler } from './types.js';

export type { AuditNote, Call } from './types.js';

type PublicName = { [N in OperationName]: Operations[N]['access'] extends 'public' ? N : never }[OperationName];
type AuditedName = Exclude<OperationName, PublicName>;

export const publicHandlers: { [N in PublicName]: PublicHandler<N> } = {
  'store.status': session.status,
  'store.init': session.init,
  'session.unlock': session.unlock,
  'backup.status': backup.status,
  'minutes.exportStatus': exportStatus,
};

export const handlers: { [N in AuditedName]: Handler<N> } = {
  'session.lock': session.lock,
  'session.setJustification': session.setJustification,
  'users.list': users.listUsers,
  'users.add': users.addUser,
  'users.remove': users.removeUser,
  'users.changePassphrase': users.changePassphrase,
  'users.resetPassphrase': users.resetPassphrase,
  'organisations.list': users.listOrganisations,
  'organisations.add': users.addOrganisation,
  'store.rotateMasterKey': store.rotateMasterKey,
  'store.rotateRecoveryKey': store.rotateRecoveryKey,
  'store.info': store.info,
  'audit.query': audit.query,
  'audit.verify': audit.verify,
  'audit.exportCsv': audit.exportCsv,
  'audit.acknowledgeTamper': audit.acknowledgeTamper,
  'people.create': people.createPerson,
  'people.get': people.getPerson,
  'people.update': people.updatePerson,
  'cases.create': cases.createCase,
  'cases.get': cases.getCase,
  'cases.update': cases.updateCase,
  'cases.transition': cases.transitionCase,
  'cases.addNote': cases.addNote,
  'cases.link': cases.linkCases,
  'cases.search': search.search,
  'cases.list': search.list,
  'concerns.list': cases.listConcerns,
  'cases.releaseReview': cases.releaseReview,
  'cases.releaseClosedOnly': cases.releaseClosedOnly,
  ...meetingHandlers,
  'agreements.templates.list': agreements.listTemplates,
  'agreements.templates.get': agreements.getTemplate,
  'agreements.templates.edit': agreements.editTemplate,
  'agreements.draft': agreements.draft,
  'agreements.updateDraft': agreements.updateDraft,
  'agreements.newVersion': agreements.newVersion,
  'agreements.get': agreements.get,
  'agreements.list': agreements.list,
  'agreements.sign': agreements.sign,
  'agreements.terminate': agreements.terminate,
  'agreements.overview': agreements.overview,
  'agreements.setEnforcement': agreements.setEnforcement,
  'agreements.exportPdf': agreements.exportPdf,
  'documents.verify': agreements.verifyDocument,
  'minutes.redactions': listRedactions,
  'minutes.export': exportMinutes,
  ...enforcementHandlers,
  'backup.create': backup.create,
  'backup.verify': backup.verify,
  'backup.settings': backup.settings,
  'backup.configure': backup.configure,
  'people.subjectAccess': subjectAccess,
  'retention.schedule': retention.schedule,
  'retention.updateSchedule': retention.updateSchedule,
  'retention.queue': retention.queue,
  'retention.decide': retention.decide,
  'people.erasurePreview': erasure.personErasurePreview,
  'people.erase': erasure.erasePerson,
  'cases.erasurePreview': erasure.caseErasurePreview,
  'cases.erase': erasure.eraseCase,
};
