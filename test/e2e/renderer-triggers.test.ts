// Community Triggers and escalations in real Chromium against a real store, with the keyboard alone: an
// ASB Case Review from application (the threshold test worked out as incidents are typed) through the
// decision, the review and its recommendations to its outcome, and one not met, whose reasons are
// required; a case referred to a Disruption Planning Meeting (a disclosure in the audit log with its
// recipients) and what came back; a breach corrected. axe on every screen.
import { describe, expect, it } from 'vitest';
import {
  credentials,
  expectNoAxeViolations,
  expectNoProblems,
  type FocusTarget,
  inDays as dayFrom,
  JUSTIFICATION,
  MANAGER,
  openApp,
  openCaseFromList,
  type Page,
  pageText,
  type Partnership,
  screenshot,
  seedPartnership,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

const LONG_FLOW_MS = 300_000;
const FAR = { max: 400 };

/**
 * Tabs to the target, forwards first, then backwards: after a step its form is replaced by the next
 * one, and where focus starts from depends on what was removed.
 */
async function reach(page: Page, target: FocusTarget): Promise<void> {
  try {
    await tabTo(page, target, { max: 150 });
  } catch {
    await tabTo(page, target, { backwards: true, ...FAR });
  }
}

async function press(page: Page, text: string): Promise<void> {
  await reach(page, { text, tag: 'button' });
  await page.keyboard.press('Enter');
}

async function fill(page: Page, id: string, text: string): Promise<void> {
  await reach(page, { id });
  await typeInto(page, { id }, text);
}

describe('Community Triggers with the keyboard alone', () => {
  it(
    'an application with its incidents, the threshold test, the decision, the review, recommendations and the outcome; one not met needs its reasons',
    async () => {
      const app = await openApp({
        seed: async ({ call }) => {
          await seedPartnership(call);
        },
      });
      const { page } = app;
      await unlockAs(page, MANAGER);

      await press(page, 'Community Triggers');
      await page.getByRole('heading', { name: 'Community Triggers', level: 1 }).waitFor();
      await expect.poll(() => pageText(page)).toContain('No Community Trigger applications.');
      await press(page, 'Log an application');
      await page.getByRole('heading', { name: 'Log a Community Trigger application' }).waitFor();

      // Nothing filled in: every problem at once, each beside its field.
      await press(page, 'Log the application');
      await expect.poll(() => pageText(page)).toContain('There is a problem');
      expect(await pageText(page)).toContain('Applicant');
      await screenshot(page, 'triggers-01-refused');
      await expectNoAxeViolations(page, 'trigger application refused');

      await fill(page, 'trig-applicant', 'Mrs A. Resident');
      await reach(page, { id: 'trig-consent' });
      await page.keyboard.press('Space');
      await fill(page, 'trig-onBehalfOf', 'Cllr Dee Patel');
      await fill(page, 'trig-area', 'Northfield');
      await fill(page, 'trig-applicationDate', dayFrom(0));
      // Four incidents: the first 200 days ago (outside six months), then three within them.
      const incidents: [string, string, string][] = [
        [dayFrom(-200), 'West Midlands Police', 'WMP-100'],
        [dayFrom(-100), 'Birmingham City Council', 'BCC-200'],
        [dayFrom(-30), 'Bournville Village Trust', ''],
        [dayFrom(-5), 'West Midlands Police', 'WMP-300'],
      ];
      for (const [i, [date, agency, reference]] of incidents.entries()) {
        if (i > 0) {
          await press(page, 'Add another incident');
          // Focus moves into the new incident's first field.
          await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe(`trig-incidents-${i}-date`);
        }
        await fill(page, `trig-incidents-${i}-date`, date);
        await fill(page, `trig-incidents-${i}-agency`, agency);
        if (reference) await fill(page, `trig-incidents-${i}-reference`, reference);
        if (i === 2) expect(await page.locator('#trig-test').textContent()).toContain('Not met: 2 qualifying complaints of 3 needed');
      }
      await expect.poll(async () => (await page.locator('#trig-test').textContent()) ?? '').toContain('Met: 3 qualifying complaints of 3');
      await screenshot(page, 'triggers-02-application');
      await expectNoAxeViolations(page, 'trigger application');
      await press(page, 'Log the application');

      // The trigger's page: the test, which incidents count, then the decision it suggests.
      await expect.poll(() => pageText(page)).toContain('Application logged');
      const text = await pageText(page);
      expect(text).toContain('Met: 3 qualifying complaints of 3 needed');
      expect(text).toContain('No: outside the window');
      expect(text).toContain('Cllr Dee Patel');
      expect(text).toContain('Received: awaiting decision');
      await screenshot(page, 'triggers-03-received');
      await expectNoAxeViolations(page, 'trigger received');
      await press(page, 'Record the decision');
      await expect.poll(() => pageText(page)).toContain('Threshold met: hold the case review');

      await fill(page, 'review-notes', 'Partners agreed the landlord and police had not joined up their responses.');
      await press(page, 'Record the review');
      await expect.poll(() => pageText(page)).toContain('Case review recorded');

      await fill(page, 'rec-text', 'Joint visit by housing and neighbourhood police within two weeks');
      await fill(page, 'rec-owner', 'Bournville Village Trust');
      await fill(page, 'rec-due', dayFrom(14));
      await press(page, 'Add the recommendation');
      await expect.poll(() => pageText(page)).toContain('Recommendation 1 added');
      await fill(page, 'rec-text', 'Noise monitoring equipment installed');
      await fill(page, 'rec-owner', 'Environmental Health');
      await fill(page, 'rec-due', dayFrom(28));
      await press(page, 'Add the recommendation');
      await expect.poll(() => pageText(page)).toContain('Recommendation 2 added');
      expect(await page.getByRole('table', { name: 'Recommendations' }).textContent()).toContain('Environmental Health');
      await screenshot(page, 'triggers-04-recommendations');
      await expectNoAxeViolations(page, 'trigger review and recommendations');

      await fill(page, 'close-outcome', 'Recommendations accepted by every partner; the applicant was told in writing.');
      await press(page, 'Close the Community Trigger');
      await expect.poll(() => pageText(page)).toContain('Community Trigger closed');
      expect(await pageText(page)).toContain('Recommendations accepted by every partner');
      await screenshot(page, 'triggers-05-closed');
      await expectNoAxeViolations(page, 'trigger closed');

      // A second application: one complaint, no persistent harm. "Not met" needs the reasons for the letter.
      await press(page, 'Back to Community Triggers');
      await page.getByRole('heading', { name: 'Community Triggers', level: 1 }).waitFor();
      await expect.poll(() => pageText(page)).toContain('1 application');
      await press(page, 'Log an application');
      await page.getByRole('heading', { name: 'Log a Community Trigger application' }).waitFor();
      await fill(page, 'trig-applicant', 'Mr B. Neighbour');
      await reach(page, { id: 'trig-consent' });
      await page.keyboard.press('Space');
      await fill(page, 'trig-area', 'Selly Oak');
      await fill(page, 'trig-incidents-0-date', dayFrom(-10));
      await fill(page, 'trig-incidents-0-agency', 'West Midlands Police');
      await press(page, 'Log the application');
      await expect.poll(() => pageText(page)).toContain('Application logged');
      expect(await pageText(page)).toContain('Not met: 1 qualifying complaint of 3 needed');
      // The decision the test suggests is "not met"; without reasons it is refused.
      expect(await page.locator('#decide-met-not_met').isChecked()).toBe(true);
      await press(page, 'Record the decision');
      await expect.poll(() => pageText(page)).toContain('There is a problem');
      expect(await pageText(page)).toContain('the reasons go in the letter');
      await screenshot(page, 'triggers-06-reasons-required');
      await expectNoAxeViolations(page, 'trigger decision refused');
      await fill(page, 'decide-reasons', 'One complaint in the six months before the application; no persistent harm.');
      await press(page, 'Record the decision');
      await expect.poll(() => pageText(page)).toContain('Threshold not met: reasons recorded');
      await fill(page, 'close-outcome', 'Letter sent with the reasons.');
      await press(page, 'Close the Community Trigger');
      await expect.poll(() => pageText(page)).toContain('Community Trigger closed');

      // The published figures follow: two received, one not met, one review with recommendations.
      const { total } = await app.call('outcomes.indicators', { from: dayFrom(-1), to: dayFrom(1) });
      expect(total).toMatchObject({
        triggersReceived: 2,
        triggersThresholdNotMet: 1,
        triggerReviewsHeld: 1,
        triggerReviewsWithRecommendations: 1,
      });

      // The Outcomes page draws them, and each chart opens as a table.
      await press(page, 'Outcomes');
      await page.getByRole('heading', { name: 'Outcome indicators' }).waitFor();
      await press(page, 'Show the indicators');
      await page.getByRole('img', { name: /^Community Triggers:/ }).waitFor();
      await tabTo(page, { text: 'Community Triggers: as a table', tag: 'summary' }, FAR);
      await page.keyboard.press('Enter');
      const chartTable = page.locator('details[open] table');
      await expect.poll(async () => (await chartTable.textContent()) ?? '').toMatch(/Received.*Threshold not met.*Reviews held/);
      // This quarter's row: received 2, threshold not met 1, reviews held 1, with recommendations 1.
      const quarter = `${dayFrom(0).slice(0, 4)}-Q${Math.ceil(Number(dayFrom(0).slice(5, 7)) / 3)}`;
      expect(await page.locator('details[open] tr', { hasText: quarter }).textContent()).toBe(`${quarter}2111`);
      await screenshot(page, 'triggers-07-outcome-charts');
      await expectNoAxeViolations(page, 'outcome charts');
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});

describe('escalation with the keyboard alone', () => {
  it(
    'a case referred to a Disruption Planning Meeting (a disclosure with its recipients), what came back, and a breach corrected',
    async () => {
      let seeded: Partnership | undefined;
      let cpn = 0;
      const app = await openApp({
        seed: async ({ call }) => {
          seeded = await seedPartnership(call);
          await call('session.unlock', credentials(MANAGER));
          await call('session.setJustification', { justification: JUSTIFICATION });
          const { organisations } = await call('organisations.list', {});
          const base = { caseId: seeded.cases.jordan.id, organisationId: organisations[0]!.id };
          const cpw = await call('enforcement.record', { ...base, type: 'community_protection_warning', issued: dayFrom(-40) });
          cpn = (
            await call('enforcement.record', {
              ...base,
              type: 'community_protection_notice',
              priorId: cpw.enforcement.id,
              issued: dayFrom(-20),
              served: dayFrom(-20),
            })
          ).enforcement.id;
          await call('enforcement.addBreach', { enforcementId: cpn, date: dayFrom(-3), reportedBy: 'Neighbour', actionTaken: 'Warning' });
          await call('session.lock', {});
        },
      });
      const { page } = app;
      await unlockAs(page, MANAGER);
      await openCaseFromList(page, seeded!.cases.jordan.reference);
      await page.getByRole('heading', { name: 'Escalations', exact: true }).waitFor();
      await expect.poll(() => pageText(page)).toContain('Not escalated.');

      // Nothing chosen: refused, every problem named.
      await press(page, 'Refer and log the disclosure');
      await expect.poll(() => pageText(page)).toContain('There is a problem');
      expect(await pageText(page)).toContain('Referred to must be chosen');
      await screenshot(page, 'escalation-01-refused');
      await expectNoAxeViolations(page, 'escalation refused');

      await reach(page, { id: 'esc-kind' });
      await page.keyboard.press('Space');
      await fill(page, 'esc-shared', 'Case summary, risk assessment and the last three police logs');
      await reach(page, { id: 'esc-recipients' });
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type('WMP Child Exploitation Team\nBirmingham Children’s Trust');
      await press(page, 'Refer and log the disclosure');
      await expect.poll(() => pageText(page)).toContain('the disclosure is in the audit log');
      expect(await pageText(page)).toContain('Awaiting outcome');
      const { entries } = await app.call('audit.query', { filter: { kind: 'disclosure', outcome: 'ok' }, limit: 5 });
      expect(entries.find((e) => e.operation === 'escalations.refer')).toMatchObject({
        recipients: ['WMP Child Exploitation Team', 'Birmingham Children’s Trust'],
        entityId: String(seeded!.cases.jordan.id),
      });

      await fill(page, 'escout-outcome', 'Disruption plan agreed; police to lead.');
      await press(page, 'Record the outcome');
      await expect.poll(() => pageText(page)).toContain('What came back from the Disruption Planning Meeting');
      expect(await pageText(page)).toContain('Disruption plan agreed; police to lead.');
      expect(await pageText(page)).not.toContain('Awaiting outcome');
      await screenshot(page, 'escalation-02-returned');
      await expectNoAxeViolations(page, 'escalation returned');

      // The breach was recorded with the wrong action: corrected, the other fields untouched.
      await fill(page, 'fix-actionTaken', 'Fixed penalty notice issued');
      await press(page, 'Save the correction');
      await expect.poll(() => pageText(page)).toContain('Breach of the Community Protection Notice corrected');
      expect(await pageText(page)).toContain('Fixed penalty notice issued');
      const { enforcement } = await app.call('enforcement.get', { enforcementId: cpn });
      expect(enforcement.breaches).toMatchObject([
        { date: dayFrom(-3), reportedBy: 'Neighbour', actionTaken: 'Fixed penalty notice issued' },
      ]);
      await screenshot(page, 'escalation-03-breach-corrected');
      await expectNoAxeViolations(page, 'breach corrected');
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});
