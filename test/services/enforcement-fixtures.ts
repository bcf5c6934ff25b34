// Enforcement, escalations and Community Triggers in every state an operation needs, set up by the
// manager, with `marker` in every closed-only record (on the closed-only case), for the access matrix and
// the proving ground.
import type { Host } from '../../src/host/host.js';
import { call } from '../support/partnership.js';

export interface PlantedEnforcement {
  /** A CPW on the open case: the prior step of a new CPN. */
  cpw: number;
  /** A served CPN on the open case, in force through next year: updated, breached, read. */
  cpn: number;
  /** A breach of the CPN: corrected by enforcement.updateBreach. */
  cpnBreach: number;
  /** A closed-only CBO on the closed-only case, carrying the marker. */
  hidden: number;
  escalation: number;
  /** Community Triggers at each step: received, threshold met, review held. */
  triggers: { received: number; met: number; reviewed: number };
}

export async function plantEnforcement(
  host: Host,
  marker: string,
  ids: { openCase: number; closedCase: number; organisationId: number },
): Promise<PlantedEnforcement> {
  const base = { organisationId: ids.organisationId, issued: '2026-01-05' };
  const cpw = (await call(host, 'enforcement.record', { ...base, type: 'community_protection_warning', caseId: ids.openCase })).enforcement
    .id;
  const cpn = (
    await call(host, 'enforcement.record', {
      ...base,
      type: 'community_protection_notice',
      caseId: ids.openCase,
      priorId: cpw,
      served: '2026-01-06',
      expiry: '2030-01-01',
    })
  ).enforcement.id;
  const cpnBreach = (
    await call(host, 'enforcement.addBreach', {
      enforcementId: cpn,
      date: '2026-02-02',
      reportedBy: 'Neighbour',
      actionTaken: 'Warning letter',
    })
  ).enforcement.breaches[0]!.id;
  const hidden = (
    await call(host, 'enforcement.record', {
      ...base,
      type: 'criminal_behaviour_order',
      caseId: ids.closedCase,
      conditions: `${marker} conditions`,
    })
  ).enforcement.id;
  await call(host, 'enforcement.addBreach', {
    enforcementId: hidden,
    date: '2026-02-01',
    reportedBy: `${marker} reporter`,
    actionTaken: `${marker} action`,
  });
  await call(host, 'escalations.refer', {
    caseId: ids.closedCase,
    kind: 'disruption_planning_meeting',
    referredOn: '2026-01-10',
    shared: `${marker} shared`,
    recipients: ['WMP Child Exploitation Team'],
  });
  const escalation = (
    await call(host, 'escalations.refer', {
      caseId: ids.openCase,
      kind: 'task_and_finish_group',
      referredOn: '2026-01-10',
      shared: 'Summary',
      recipients: ['Task and Finish Group'],
    })
  ).escalation.id;
  const apply = async () =>
    (
      await call(host, 'triggers.apply', {
        area: 'Northfield',
        applicant: 'A. Resident',
        consent: true,
        applicationDate: '2026-01-20',
        persistentHarm: true,
      })
    ).trigger.id;
  await call(host, 'triggers.apply', {
    area: `${marker}ville`,
    applicant: `${marker} applicant`,
    consent: true,
    applicationDate: '2026-01-20',
    caseId: ids.closedCase,
  });
  const received = await apply();
  const met = await apply();
  await call(host, 'triggers.decide', { triggerId: met, met: true, decidedOn: '2026-01-25' });
  const reviewed = await apply();
  await call(host, 'triggers.decide', { triggerId: reviewed, met: true, decidedOn: '2026-01-25' });
  await call(host, 'triggers.recordReview', { triggerId: reviewed, reviewDate: '2026-02-01' });
  return { cpw, cpn, cpnBreach, hidden, escalation, triggers: { received, met, reviewed } };
}
