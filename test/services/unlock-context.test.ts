// Issue 16, finding 8: the working context given on the unlock screen is the session's from the first call,
// so a normal start leaves no refusal in the log; the last one is remembered per user as a suggestion only.
import { describe, expect, it } from 'vitest';
import { actAs, attempt, call, credentials, JUSTIFICATION, MANAGER, partnershipStore, STATUTORY } from '../support/partnership.js';
import { newHost } from '../support/store.js';

describe('the working context at unlock (issue 16: 8)', () => {
  it('sets the context with the unlock, so listing cases at once is not refused, and suggests it next time', async () => {
    const { host } = await partnershipStore(newHost());
    await actAs(host, 'statutory');
    await call(host, 'session.lock');

    const unlocked = await call(host, 'session.unlock', { ...credentials(STATUTORY), justification: '  Reviewing Kings Norton cases  ' });
    expect(unlocked).toMatchObject({ justification: 'Reviewing Kings Norton cases', suggestedJustification: null });
    expect((await attempt(host, 'cases.list', {})).ok).toBe(true);
    await call(host, 'session.lock');

    // Without one: nothing applied (the call is refused as before), the last one offered.
    const bare = await call(host, 'session.unlock', credentials(STATUTORY));
    expect(bare).toMatchObject({ justification: null, suggestedJustification: 'Reviewing Kings Norton cases' });
    expect(await attempt(host, 'cases.list', {})).toMatchObject({ ok: false, error: { code: 'JUSTIFICATION_REQUIRED' } });
    await call(host, 'session.setJustification', { justification: JUSTIFICATION });
    await call(host, 'session.lock');
    expect((await call(host, 'session.unlock', credentials(STATUTORY))).suggestedJustification).toBe(JUSTIFICATION);

    // A start: no refusal between the unlock and the list (read back by the manager, who may read the log).
    await call(host, 'session.lock');
    await call(host, 'session.unlock', { ...credentials(MANAGER), justification: 'Preparing for the 3 Dec People meeting' });
    await call(host, 'cases.list', {});
    const { entries } = await call(host, 'audit.query', { limit: 5 });
    const sinceUnlock = entries.slice(0, entries.findIndex((e) => e.kind === 'unlock') + 1);
    expect(sinceUnlock.map((e) => [e.operation, e.outcome])).toEqual([
      ['cases.list', 'ok'],
      ['session.unlock', 'ok'],
    ]);
    expect(sinceUnlock.at(-1)!.justification).toBe('Preparing for the 3 Dec People meeting');
  });

  it('refuses an over-long context as a validation error naming the field, unlocking nothing', async () => {
    const { host } = await partnershipStore(newHost());
    await call(host, 'session.lock');
    expect(await attempt(host, 'session.unlock', { ...credentials(STATUTORY), justification: 'x'.repeat(501) })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'justification' },
    });
    expect(host.session).toBeNull();
  });
});
