// `concordat call` reaches the partnership-wide escalation list and a case's Community Triggers, as a
// script would run them in a child process: a case referred, listed with filters, and a trigger linked to it.
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/store.js';
import { caseInput, personInput } from '../support/partnership.js';
import { asManager, assertBuilt, inStore, initStore } from './run.js';

beforeAll(assertBuilt);

describe('concordat call escalations.list / triggers.list', () => {
  it('lists escalations across cases by state and kind, and the Community Triggers linked to a case', async () => {
    const cli = inStore(tempDir());
    await initStore(cli);
    const callJson = async <T>(operation: string, input: unknown) => {
      const result = await cli(['call', operation, '--input', JSON.stringify(input), '--justification', 'CLI test'], asManager);
      expect(result.code, `${operation}: ${result.stderr}`).toBe(0);
      return JSON.parse(result.stdout) as T;
    };
    const { person } = await callJson<{ person: { id: number } }>('people.create', { ...personInput(), createDespiteDuplicates: true });
    const { case: c } = await callJson<{ case: { id: number; reference: string } }>('cases.create', caseInput([person.id]));
    await callJson('escalations.refer', {
      caseId: c.id,
      kind: 'task_and_finish_group',
      referredOn: '2026-02-01',
      shared: 'Summary',
      recipients: ['Task and Finish Group'],
    });
    const open = await callJson<{ escalations: { case: { reference: string }; kind: string }[] }>('escalations.list', {
      status: 'open',
      kind: 'task_and_finish_group',
      area: 'Northfield',
    });
    expect(open.escalations).toMatchObject([{ case: { reference: c.reference }, kind: 'task_and_finish_group' }]);
    expect((await callJson<{ escalations: unknown[] }>('escalations.list', { status: 'returned' })).escalations).toEqual([]);

    await callJson('triggers.apply', {
      area: 'Northfield',
      applicant: 'Mrs A. Resident',
      consent: true,
      applicationDate: '2026-03-01',
      caseId: c.id,
    });
    const { triggers } = await callJson<{ triggers: { applicant: string; case: { reference: string } }[] }>('triggers.list', {
      caseId: c.id,
    });
    expect(triggers).toMatchObject([{ applicant: 'Mrs A. Resident', case: { reference: c.reference } }]);

    const refused = await cli(
      ['call', 'escalations.list', '--input', '{"from":"2026-03-01","to":"2026-02-01"}', '--justification', 'CLI test'],
      asManager,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/to/);
  }, 120_000);
});
