// Meetings: placeholder handlers until the store module lands (same commit series).
import { ConcordatError } from '../contract/errors.js';
import type { Handler } from './types.js';

const notYet = (async () => {
  throw new ConcordatError('INTERNAL', 'Meetings are not built yet.');
}) as Handler<never>;

export const meetingHandlers = {
  'meetings.list': notYet as Handler<'meetings.list'>,
  'meetings.get': notYet as Handler<'meetings.get'>,
  'meetings.forCase': notYet as Handler<'meetings.forCase'>,
  'meetings.schedule': notYet as Handler<'meetings.schedule'>,
  'meetings.update': notYet as Handler<'meetings.update'>,
  'meetings.addAttendee': notYet as Handler<'meetings.addAttendee'>,
  'meetings.setAttendance': notYet as Handler<'meetings.setAttendance'>,
  'meetings.acknowledgeConfidentiality': notYet as Handler<'meetings.acknowledgeConfidentiality'>,
  'meetings.proposeAgenda': notYet as Handler<'meetings.proposeAgenda'>,
  'meetings.raiseCase': notYet as Handler<'meetings.raiseCase'>,
  'meetings.addAgendaItem': notYet as Handler<'meetings.addAgendaItem'>,
  'meetings.removeAgendaItem': notYet as Handler<'meetings.removeAgendaItem'>,
  'meetings.reorderAgenda': notYet as Handler<'meetings.reorderAgenda'>,
  'minutes.start': notYet as Handler<'minutes.start'>,
  'minutes.saveItem': notYet as Handler<'minutes.saveItem'>,
  'minutes.recordDecision': notYet as Handler<'minutes.recordDecision'>,
  'minutes.submit': notYet as Handler<'minutes.submit'>,
  'minutes.return': notYet as Handler<'minutes.return'>,
  'minutes.approve': notYet as Handler<'minutes.approve'>,
  'minutes.addAddendum': notYet as Handler<'minutes.addAddendum'>,
  'actions.create': notYet as Handler<'actions.create'>,
  'actions.review': notYet as Handler<'actions.review'>,
  'actions.list': notYet as Handler<'actions.list'>,
};
