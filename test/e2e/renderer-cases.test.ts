// Cases in real Chromium against a real store: create (with the duplicate-person warning) and edit,
// the lifecycle, search and filters, the virtualised list, and what a non-statutory member never sees.
import { describe, expect, it } from 'vitest';
import {
  CLOSED_MARKERS,
  expectNoAxeViolations,
  expectNoProblems,
  focusedId,
  lockWithButton,
  MANAGER,
  NON_STATUTORY,
  openApp,
  openCaseFromList,
  openPartnership,
  pageHtml,
  pageText,
  resultCount,
  screenshot,
  seedBulkCases,
  seedPartnership,
  STATUTORY,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

describe('create and edit', () => {
  it('records a case for a person already known (after the duplicate warning) and edits it', async () => {
    const { app, seeded } = await openPartnership();
    const { page } = app;
    await unlockAs(page, MANAGER);
    await screenshot(page, '04-case-list');
    await expectNoAxeViolations(page, 'case list');

    await page.getByRole('button', { name: 'New case' }).click();
    await page.getByRole('heading', { name: 'Record a new case' }).waitFor();
    await page.getByRole('button', { name: 'Record case' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    const listed = await summary.locator('li').allTextContents();
    expect(listed).toEqual(
      expect.arrayContaining([
        'Add at least one person the case is about',
        'Area is required',
        'Referring organisation is required',
        'Choose at least one concern',
        'Personal harm must be chosen',
      ]),
    );
    expect(await page.locator('#referral-date').getAttribute('aria-describedby')).toContain('referral-date-error');
    await screenshot(page, '05-case-form-errors');
    await expectNoAxeViolations(page, 'case form with errors');

    // A person with Jordan Ellis's name and date of birth: the store warns before creating a second record.
    await page.getByRole('button', { name: 'Add a person' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Given name').fill('Jordan');
    await dialog.getByLabel('Family name').fill('Elis');
    await dialog.getByLabel('Date of birth').fill('17/04/2008');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await page.getByTestId('duplicate-warning').waitFor();
    expect(await page.getByTestId('duplicate-warning').textContent()).toContain('same date of birth, similar name');
    await screenshot(page, '06-duplicate-warning');
    await expectNoAxeViolations(page, 'duplicate warning');
    await dialog.getByRole('button', { name: /Use this record/ }).click();
    await expect.poll(() => page.locator('.app-subject-list').textContent()).toContain('Jordan Ellis');

    await page.getByLabel('Referring organisation').fill('Northfield Housing');
    await page.getByLabel('Referral date').fill('2025-11-03');
    await page.getByLabel('Area').fill('Northfield');
    await page.getByLabel('Reason for referral').fill('Damage to the communal door, reported by three neighbours.');
    await page.locator('#referral-consent').check();
    await page.getByLabel('Criminal damage').check();
    for (const [kind, level] of [
      ['personalHarm', 'low'],
      ['communityHarm', 'medium'],
      ['environmentalHarm', 'medium'],
    ] as const) {
      await page.locator(`#risk-${kind}${level === 'low' ? '' : `-${level}`}`).check();
    }
    await page.getByRole('button', { name: 'Record case' }).click();
    await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
    const reference = (await page.locator('h1').textContent())?.match(/LCSP-\d{4}-[0-9A-Z]{4,}/)?.[0];
    expect(reference).toBeDefined();

    const stored = (await app.call('cases.search', { query: reference! })).cases.find((c) => c.reference === reference)!;
    const detail = (await app.call('cases.get', { caseId: stored.id })).case;
    expect(detail.subjects.map((s) => s.id)).toEqual([
      (await app.call('cases.get', { caseId: seeded.cases.jordan.id })).case.subjects[0]!.id,
    ]);
    expect(detail.risk.overall).toBe('medium');
    const reviewDate = detail.reviewDate;

    await page.getByRole('button', { name: 'Edit case' }).click();
    await page.getByRole('heading', { name: 'Edit case' }).waitFor();
    expect(await page.getByLabel('Area').inputValue()).toBe('Northfield');
    await page.getByLabel('Area').fill('Longbridge');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
    expect(await pageText(page)).toContain('Longbridge');
    const edited = (await app.call('cases.get', { caseId: stored.id })).case;
    expect(edited.area).toBe('Longbridge');
    // The risk assessment was not touched, so it was not resent and the review date stands.
    expect(edited.reviewDate).toBe(reviewDate);

    // Linked to the earlier case about the same person, by its reference.
    await page.getByLabel('Link another case: its reference').fill('LCSP-1999-0001');
    await page.getByLabel('Why they are linked').fill('Same young person');
    await page.getByRole('button', { name: 'Link case' }).click();
    await expect.poll(() => page.locator('#link-reference-error').textContent()).toContain('There is no case LCSP-1999-0001');
    await page.getByLabel('Link another case: its reference').fill(seeded.cases.jordan.reference);
    await page.getByRole('button', { name: 'Link case' }).click();
    await expect.poll(() => page.locator('#case-done').textContent()).toContain(`Linked to ${seeded.cases.jordan.reference}`);
    expect((await app.call('cases.get', { caseId: stored.id })).case.links.map((l) => l.caseId)).toEqual([seeded.cases.jordan.id]);
    expectNoProblems(app);
  });

  it('records and edits a case with the keyboard alone', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await unlockAs(page, STATUTORY);
    await tabTo(page, { text: 'New case', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Record a new case' }).waitFor();
    await tabTo(page, { text: 'Add a person', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await focusedId(page)).toBe('person-givenName');
    await page.keyboard.type('Casey');
    await typeInto(page, { id: 'person-familyName' }, 'Marsh');
    await typeInto(page, { id: 'person-dateOfBirth' }, '2001-06-30');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.app-subject-list').textContent()).toContain('Casey Marsh');
    expect(await focusedId(page)).toBe('subjectIds');

    await typeInto(page, { id: 'referral-organisation' }, 'Bournville Village Trust');
    await typeInto(page, { id: 'referral-date' }, '2025-09-12');
    await typeInto(page, { id: 'area' }, 'Bournville');
    await typeInto(page, { id: 'referral-reason' }, 'Persistent noise late at night.');
    await tabTo(page, { id: 'referral-consent' });
    await page.keyboard.press('Space');
    await tabTo(page, { id: 'concerns' });
    await page.keyboard.press('Space');
    for (const kind of ['personalHarm', 'communityHarm', 'environmentalHarm']) {
      await tabTo(page, { id: `risk-${kind}` });
      await page.keyboard.press('Space');
    }
    await tabTo(page, { text: 'Record case', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
    expect(await pageText(page)).toContain('Casey Marsh');

    await tabTo(page, { text: 'Edit case', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Edit case' }).waitFor();
    await typeInto(page, { id: 'summary' }, 'Music from the flat above the shop, most weekends.');
    await tabTo(page, { text: 'Save changes', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
    expect(await pageText(page)).toContain('Music from the flat above the shop');
    expectNoProblems(app);
  });
});

describe("a person's details", () => {
  it('are changed from the case profile with the keyboard alone, with inline errors, keeping what the form does not show', async () => {
    let jordanId = 0;
    const app = await openApp({
      seed: async ({ call }) => {
        await seedPartnership(call);
        await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
        await call('session.setJustification', { justification: 'Seeding' });
        const found = await call('cases.search', { query: 'Jordan Ellis' });
        const detail = (await call('cases.get', { caseId: found.cases[0]!.id })).case;
        jordanId = detail.subjects[0]!.id;
        // A second address and a second reference, which the form does not show: an edit must keep them.
        await call('people.update', {
          personId: jordanId,
          addresses: [...detail.subjects[0]!.addresses, { line1: '4 Old Mill Lane', postcode: 'B30 2BB', current: false }],
          identifiers: [
            { scheme: 'police', value: 'WMP-55120' },
            { scheme: 'council', value: 'BCC-ASB-2291' },
          ],
        });
        await call('session.lock', {});
      },
    });
    const { page } = app;
    await unlockAs(page, STATUTORY);
    await openCaseFromList(page, 'Jordan Ellis');

    await tabTo(page, { text: 'Change details of Jordan Ellis', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await focusedId(page)).toBe('person-givenName');
    expect(await page.locator('#person-familyName').inputValue()).toBe('Ellis');
    expect(await page.locator('#person-dateOfBirth').inputValue()).toBe('2008-04-17');
    expect(await page.locator('#person-identifiers-0-value').inputValue()).toBe('WMP-55120');

    // A bad postcode: the error is tied to its field and listed in the summary; nothing is saved.
    await typeInto(page, { id: 'person-addresses-0-postcode' }, 'NOT A CODE');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#person-addresses-0-postcode-error').textContent()).toContain('is not a UK postcode');
    expect(await page.locator('#person-addresses-0-postcode').getAttribute('aria-describedby')).toContain(
      'person-addresses-0-postcode-error',
    );
    await screenshot(page, '08-person-edit-errors');
    await expectNoAxeViolations(page, 'person edit dialog with errors');

    await typeInto(page, { id: 'person-addresses-0-postcode' }, 'b31 4xy');
    await typeInto(page, { id: 'person-aliases' }, 'JJ, Jord');
    await typeInto(page, { id: 'person-contacts-0-value' }, '07700 900123');
    await tabTo(page, { text: 'Save changes', tag: 'button' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#case-done').textContent()).toContain('The details of Jordan Ellis were saved');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => pageText(page)).toContain('JJ, Jord');

    const person = (await app.call('people.get', { personId: jordanId })).person;
    expect(person.aliases).toEqual(['JJ', 'Jord']);
    expect(person.addresses.map((a) => [a.postcode, a.current])).toEqual([
      ['B31 4XY', true],
      ['B30 2BB', false],
    ]);
    expect(person.identifiers.map((i) => i.value)).toEqual(['WMP-55120', 'BCC-ASB-2291']);
    expect(person.contacts).toEqual([{ kind: 'phone', value: '07700 900123' }]);
    expectNoProblems(app);
  });

  it('are not offered for change to a non-statutory member', async () => {
    const { app, seeded } = await openPartnership();
    const { page } = app;
    await unlockAs(page, NON_STATUTORY);
    await openCaseFromList(page, seeded.cases.priya.reference);
    expect(await pageText(page)).toContain('Priya Shah');
    expect(await page.getByRole('button', { name: /Change details/ }).count()).toBe(0);
    expectNoProblems(app);
  });
});

describe('lifecycle', () => {
  it('moves a case from referred to closed, offering only the allowed steps, with the keyboard alone', async () => {
    const { app, seeded } = await openPartnership();
    const { page } = app;
    await unlockAs(page, MANAGER);
    await openCaseFromList(page, seeded.cases.jordan.reference);
    await screenshot(page, '07-case-profile');
    await expectNoAxeViolations(page, 'case profile');

    const actions = () =>
      page.locator('#section-lifecycle').locator('..').locator('.govuk-button-group').first().locator('button').allTextContents();
    expect(await actions()).toEqual(['Accept', 'Decline']);
    const steps: [string, string, string | null][] = [
      ['Accept', 'Meets the threshold for the People meeting.', null],
      ['Make active', 'Plan agreed at the 3 Dec meeting.', null],
      ['Start review', 'Three months on: reviewing.', null],
      ['Close case', 'No further incidents since October.', 'transition-outcome'],
    ];
    for (const [action, reason, radio] of steps) {
      await tabTo(page, { text: action, tag: 'button' });
      await page.keyboard.press('Enter');
      expect(await focusedId(page)).toBe('transition-reason');
      await page.keyboard.type(reason);
      if (radio) {
        await tabTo(page, { id: radio });
        await page.keyboard.press('Space');
      }
      await tabTo(page, { text: action, tag: 'button' });
      await page.keyboard.press('Enter');
      await expect.poll(() => pageText(page)).toContain(reason);
      expect(await page.locator('#case-done').textContent()).toContain('Case moved to');
    }
    expect(await page.locator('h1 .govuk-tag').first().textContent()).toBe('Closed');
    expect(await pageText(page)).toContain('its status cannot change');
    expect(await page.locator('#section-lifecycle').locator('..').locator('.govuk-button-group').count()).toBe(0);

    // A note, from the keyboard too.
    await typeInto(page, { id: 'note-body' }, 'Closing letter sent to the family.');
    await tabTo(page, { text: 'Add note', tag: 'button' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[aria-label="Notes, newest first"] li').first().textContent()).toContain('Closing letter sent');

    const detail = (await app.call('cases.get', { caseId: seeded.cases.jordan.id })).case;
    expect(detail.status).toBe('closed');
    expect(detail.outcome).toBe('resolved');
    expect(detail.transitions.map((t) => t.to)).toEqual(['referred', 'accepted', 'active', 'under_review', 'closed']);
    expectNoProblems(app);
  });
});

describe('search and filter', () => {
  it('searches as you type, filters and sorts', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await unlockAs(page, MANAGER);
    expect(await resultCount(page)).toBe('3 cases');
    await page.getByLabel('Search', { exact: true }).fill('shah');
    await expect.poll(() => resultCount(page)).toBe('1 case found');
    expect(await page.locator('tbody tr[data-case-id]').first().textContent()).toContain('Priya Shah');
    await page.getByLabel('Search', { exact: true }).fill('');
    await expect.poll(() => resultCount(page)).toBe('3 cases');

    await page.locator('#filter-risk-high').check();
    await expect.poll(() => resultCount(page)).toBe('1 case');
    expect(await page.locator('tbody tr[data-case-id]').first().textContent()).toContain('Jordan Ellis');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => resultCount(page)).toBe('3 cases');
    await page.getByLabel('Concern').selectOption('noise_nuisance');
    await expect.poll(() => resultCount(page)).toBe('1 case');
    await page.getByLabel('Concern').selectOption('');
    await page.getByLabel('Area').fill('kings norton');
    await expect.poll(() => resultCount(page)).toBe('1 case');
    await page.getByLabel('Area').fill('');
    await page.locator('#filter-status').check();
    await expect.poll(() => resultCount(page)).toBe('3 cases');
    await page.getByLabel('Review overdue').check();
    await expect.poll(() => resultCount(page)).toMatch(/^\d cases?$/);
    await page.getByLabel('Review overdue').uncheck();
    await page.getByLabel('Sort by').selectOption('risk');
    await expect.poll(() => page.locator('tbody tr[data-case-id]').first().textContent()).toContain('Jordan Ellis');
    await page.getByLabel('Order').selectOption('asc');
    await expect.poll(() => page.locator('tbody tr[data-case-id]').first().textContent()).toContain('Priya Shah');
    await screenshot(page, '08-case-list-filtered');
    expectNoProblems(app);
  });

  it('searches, filters and opens a result with the keyboard alone', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await unlockAs(page, MANAGER);
    await typeInto(page, { id: 'case-search' }, 'ellis');
    await expect.poll(() => resultCount(page)).toBe('1 case found');
    // Busy while the rows shown do not yet answer the box, then not: the answer is in.
    await expect.poll(() => page.locator('table[role="grid"]').getAttribute('aria-busy')).toBe('false');
    await expectNoAxeViolations(page, 'case list, searched');
    await typeInto(page, { id: 'case-search' }, '');
    await tabTo(page, { id: 'filter-risk' });
    await page.keyboard.press('Space');
    await expect.poll(() => resultCount(page)).toBe('1 case');
    await tabTo(page, { id: 'filter-risk-high' });
    await page.keyboard.press('Space');
    await expect.poll(() => resultCount(page)).toBe('2 cases');
    await tabTo(page, { id: 'filter-concern' });
    // A select changes with the arrow keys: noise nuisance is the first concern.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => resultCount(page)).toBe('1 case');
    await openCaseFromList(page, undefined, { expectRow: 'Priya Shah' });
    expect(await pageText(page)).toContain('Priya Shah');
    // Back to the list: the search and filters are as they were left.
    await tabTo(page, { text: 'Back to cases', tag: 'button' }, { backwards: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => resultCount(page)).toBe('1 case');
    expectNoProblems(app);
  });

  it('keeps a list of thousands virtualised: few rows in the page, every row reachable', async () => {
    const app = await openApp({
      seed: async ({ call, host }) => {
        await call('store.init', MANAGER);
        await seedBulkCases(host, 2000);
        await call('session.lock', {});
      },
    });
    const { page } = app;
    await unlockAs(page, MANAGER);
    // Above the server's cap the count is a lower bound, and the grid says its row count is unknown (-1).
    expect(await resultCount(page)).toBe('More than 1,000 cases');
    expect(await page.locator('table[role="grid"]').getAttribute('aria-rowcount')).toBe('-1');
    expect(await page.locator('tbody tr[aria-rowindex]').count()).toBeLessThan(60);
    await tabTo(page, { text: 'Reference', tag: 'table' });
    // End reaches the last row known; its page counts further, so End again goes on, until the very last case.
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('tr[aria-selected="true"]').getAttribute('aria-rowindex')).toBe('1001');
    await expect
      .poll(async () => {
        await page.keyboard.press('End');
        return page.locator('tr[aria-selected="true"]').getAttribute('aria-rowindex');
      })
      .toBe('2001');
    await expect.poll(() => page.locator('table[role="grid"]').getAttribute('aria-rowcount')).toBe('2001');
    await expect.poll(() => page.locator('tr[aria-selected="true"]').getAttribute('data-case-id')).not.toBeNull();
    // The count a person was told does not change under them while they scroll.
    expect(await resultCount(page)).toBe('More than 1,000 cases');
    await page.keyboard.press('Home');
    await page.keyboard.press('PageDown');
    await expect.poll(() => page.locator('tr[aria-selected="true"]').getAttribute('aria-rowindex')).not.toBe('2');
    expect(await page.locator('tbody tr[aria-rowindex]').count()).toBeLessThan(60);
    expectNoProblems(app);
  });

  it('sends the first text of a burst of input at once and the last when the burst is over: the list ends on the last', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await unlockAs(page, MANAGER);
    expect(await resultCount(page)).toBe('3 cases');
    // One burst, in one task (a held key's repeats, an input method's steps): "e" leaves at once, and the
    // rest are folded into one request for the last text, which the list must end on.
    await page.evaluate(`(() => {
      const input = document.getElementById('case-search');
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      for (const text of ['e', 'el', 'ell', 'shah']) {
        setValue.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
    })()`);
    await expect.poll(() => page.locator('tbody tr[data-case-id]').first().textContent()).toContain('Priya Shah');
    expect(await resultCount(page)).toBe('1 case found');
    expect(await page.locator('table[role="grid"]').getAttribute('aria-busy')).toBe('false');
    expectNoProblems(app);
  });
});

describe('closed-meeting-only data', () => {
  it('is shown to statutory partners and never to a non-statutory member, on any screen', async () => {
    const { app, seeded } = await openPartnership();
    const { page } = app;
    const markers = Object.values(CLOSED_MARKERS);

    // The markers are really there: the manager sees them.
    await unlockAs(page, MANAGER);
    expect(await pageText(page)).toContain(seeded.cases.closed.reference);
    await page.getByLabel('Search', { exact: true }).fill(CLOSED_MARKERS.caseSubject);
    await expect.poll(() => resultCount(page)).toBe('1 case found');
    await page.getByLabel('Search', { exact: true }).fill('Jordan');
    await page.locator(`tbody tr[data-case-id="${seeded.cases.jordan.id}"]`).click();
    await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
    expect(await pageText(page)).toContain(CLOSED_MARKERS.note);
    await lockWithButton(page);

    await unlockAs(page, NON_STATUTORY);
    const seen: string[] = [];
    // The whole page, or (after typing a marker into the search box) everything but the box.
    const check = async (screen: string, scope?: string) => {
      const html = scope ? (await page.locator(scope).innerHTML()) + (await page.locator('header').innerHTML()) : await pageHtml(page);
      for (const marker of [...markers, seeded.cases.closed.reference]) if (html.includes(marker)) seen.push(`${marker} on ${screen}`);
    };
    expect(await resultCount(page)).toBe('2 cases');
    await check('case list');
    for (const query of [CLOSED_MARKERS.caseSubject, 'Quarantine', 'Kestrelmarker', seeded.cases.closed.reference]) {
      await page.getByLabel('Search', { exact: true }).fill(query);
      await expect.poll(() => resultCount(page)).toBe('0 cases found');
      await check(`search for ${query}`, '.app-case-list__results');
    }
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.locator('#filter-risk-medium').check();
    await expect.poll(() => resultCount(page)).toBe('0 cases');
    await page.locator('#filter-risk-medium').uncheck();
    await expect.poll(() => resultCount(page)).toBe('2 cases');
    await page.locator(`tbody tr[data-case-id="${seeded.cases.jordan.id}"]`).click();
    await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
    expect(await pageText(page)).toContain('Seen at the parade');
    await check('case profile');
    // No closed-only option to set, and no audit or administration screens.
    expect(await page.locator('#note-closed-only').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Audit log' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Your account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await check('account');
    await page.getByRole('button', { name: 'Cases' }).click();
    await page.getByRole('button', { name: 'New case' }).click();
    await page.getByRole('heading', { name: 'Record a new case' }).waitFor();
    expect(await page.locator('#closedOnly').count()).toBe(0);
    // A person known only from the closed case is not offered as a duplicate either.
    await page.getByRole('button', { name: 'Add a person' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Given name').fill(CLOSED_MARKERS.caseSubject);
    await dialog.getByLabel('Family name').fill('Okafor');
    await dialog.getByLabel('Date of birth').fill('1990-01-01');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await expect.poll(() => page.locator('.app-subject-list').textContent()).toContain('Okafor');
    expect(await page.getByTestId('duplicate-warning').count()).toBe(0);
    const html = await pageHtml(page);
    for (const marker of [CLOSED_MARKERS.caseLocation, CLOSED_MARKERS.note, seeded.cases.closed.reference])
      if (html.includes(marker)) seen.push(`${marker} on new case form`);
    expect(seen).toEqual([]);
    expectNoProblems(app);
  });
});
