// `concordat retention queue` in a child process: a declined case due at once (the schedule set to 0
// months with `concordat call`) is listed with its person; another day's queue is empty; the queue names
// people, so it needs a justification.
import { beforeAll, describe, expect, it } from 'vitest';
import { localToday } from '../../src/domain/risk.js';
import { tempDir } from '../support/store.js';
import { caseInput, personInput } from '../support/partnership.js';
import { asManager, assertBuilt, inStore, initStore } from './run.js';

beforeAll(assertBuilt);

describe('concordat retention queue', () => {
  it('lists the cases due, with who follows them, and refuses without a justification', async () => {
    const cli = inStore(tempDir());
    await initStore(cli);
    const why = ['--justification', 'Quarterly retention review'];
    const run = async (args: string[]) => {
      const result = await cli(args, asManager);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const callJson = async <T>(operation: string, input: unknown) =>
      JSON.parse(await run(['call', operation, '--input', JSON.stringify(input), ...why])) as T;
    const { person } = await callJson<{ person: { id: number } }>('people.create', { ...personInput(), createDespiteDuplicates: true });
    const { case: created } = await callJson<{ case: { id: number; reference: string } }>('cases.create', caseInput([person.id]));
    await callJson('cases.transition', { caseId: created.id, to: 'declined', reason: 'Below the threshold' });
    await callJson('retention.updateSchedule', { rules: [{ ending: 'declined', months: 0 }] });

    const listed = await run(['retention', 'queue', ...why]);
    expect(listed).toContain(`${created.reference}  due ${localToday()}  schedule: Declined at referral on ${localToday()}`);
    expect(listed).toMatch(/^ {4}Jordan Ellis: follows this case$/m);
    expect(listed).toMatch(/^1 case due for review on /m);
    expect(await run(['retention', 'queue', '2020-01-01', ...why])).toMatch(/^0 cases due for review on 2020-01-01\.$/m);

    const refused = await cli(['retention', 'queue'], asManager);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/JUSTIFICATION_REQUIRED/);
  }, 120_000);
});
