// Agreements in real Chromium against a real store: a manager drafts a membership agreement, the
// signatory signs by drawing with the mouse (real pointer events on the canvas, through signature_pad),
// the witness signs, and it is sealed; the signed view shows the seal and exports the PDF. Then the typed
// signature path, done with the keyboard alone. axe on every step; screenshots.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expectNoAxeViolations,
  expectNoProblems,
  JUSTIFICATION,
  MANAGER,
  openApp,
  openPartnership,
  type Page,
  pageText,
  screenshot,
  seedPartnership,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

const GROUP = 'Northfield Local Partnership Delivery Group';

/** A signature drawn with the mouse: pointer down, a looping path across the pad, pointer up. */
async function drawSignature(page: Page, padTestId: string, loops = 3): Promise<void> {
  const pad = page.getByTestId(padTestId);
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const steps = 60;
  await page.mouse.move(box.x + 30, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= steps; i += 1) {
    const t = i / steps;
    await page.mouse.move(
      box.x + 30 + t * (box.width * 0.6),
      box.y + box.height / 2 + Math.sin(t * Math.PI * 2 * loops) * (box.height / 3),
    );
  }
  await page.mouse.up();
  // A second stroke: the cross of a t.
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.3);
  await page.mouse.down();
  for (let i = 1; i <= 20; i += 1) await page.mouse.move(box.x + box.width * 0.7 + i * 6, box.y + box.height * 0.3 + i);
  await page.mouse.up();
}

describe('signing an agreement in the room', () => {
  it('a manager drafts, the signatory draws a signature with the mouse, a witness signs, and the agreement seals', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await unlockAs(page, MANAGER);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Agreements' }).click();
    await page.getByRole('heading', { name: 'Agreements', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('missing-list').textContent()).toContain('West Midlands Police');
    expect(await page.getByTestId('due-none').textContent()).toBe('Nothing is due for review.');
    expect(await page.getByTestId('enforcement').textContent()).toContain('Not yet enforced');
    await screenshot(page, 'agreements-01-home');
    await expectNoAxeViolations(page, 'agreements home');

    // Start a draft: the statement takes the group's name, the expectations the partner type's rows.
    await page.getByRole('button', { name: 'Start the draft' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Organisation');
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'West Midlands Police' });
    await page.getByLabel('Name of the group').fill(GROUP);
    await page.getByLabel('Kind of partner').selectOption({ label: 'Police: Neighbourhoods' });
    await page.getByRole('button', { name: 'Start the draft' }).click();
    await page.getByRole('heading', { name: 'Membership agreement, version 1' }).waitFor();
    expect(await page.getByTestId('agreement-statement').textContent()).toBe(
      `I agree to support and deliver the priorities of the ${GROUP} and to honour the expectations stated above.`,
    );
    expect(await page.getByRole('table').first().textContent()).toContain('Chief Inspector');
    await screenshot(page, 'agreements-02-draft');
    await expectNoAxeViolations(page, 'draft agreement');

    await page.getByRole('button', { name: 'Sign in the room' }).click();
    await page.getByRole('heading', { name: 'Read the agreement together' }).waitFor();
    await page.getByRole('button', { name: 'Continue to signing' }).click();
    await page.getByRole('heading', { name: 'The signatory signs' }).waitFor();

    // Nothing drawn: refused with a message beside the pad.
    await page.getByLabel('Signatory: full name').fill('Chief Inspector Dana Okafor');
    await page.getByLabel('Signatory: role').fill('Neighbourhood policing lead');
    await page.getByRole('button', { name: 'Continue to the witness' }).click();
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('Sign in the box, or choose to type the name instead');
    // A dab is too short a signature.
    await page.getByTestId('signatory-pad').scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('signatory-pad').boundingBox())!;
    await page.mouse.move(box.x + 100, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(box.x + 104, box.y + 101);
    await page.mouse.up();
    await page.getByRole('button', { name: 'Continue to the witness' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toMatch(/too few points|too short/);
    await page.getByRole('button', { name: 'Clear' }).click();

    await drawSignature(page, 'signatory-pad');
    // Undo takes the last stroke away; it is drawn again.
    await page.getByRole('button', { name: 'Undo last stroke' }).click();
    await drawSignature(page, 'signatory-pad', 2);
    await screenshot(page, 'agreements-03-signatory-drawn');
    await expectNoAxeViolations(page, 'signatory step');
    await page.getByRole('button', { name: 'Continue to the witness' }).click();

    await page.getByRole('heading', { name: 'The witness signs' }).waitFor();
    await page.getByLabel('Witness: full name').fill(MANAGER.displayName);
    await page.getByLabel('Witness: role').fill('Partnership manager');
    await drawSignature(page, 'witness-pad', 4);
    await page.getByRole('button', { name: 'Continue to the check' }).click();

    await page.getByRole('heading', { name: 'Check everything before sealing' }).waitFor();
    expect(await page.getByTestId('confirm-statement').textContent()).toContain(GROUP);
    expect(await page.getByRole('img', { name: /Signature of Chief Inspector Dana Okafor, drawn/ }).getAttribute('src')).toMatch(
      /^data:image\/png;base64,/,
    );
    await page.getByRole('img', { name: `Signature of ${MANAGER.displayName}, drawn` }).waitFor();
    await screenshot(page, 'agreements-04-check-before-sealing');
    await expectNoAxeViolations(page, 'check before sealing');
    await page.getByRole('button', { name: 'Seal the agreement' }).click();

    // The signed view: status, seal, signatures; the store holds the same hash and the strokes as points.
    await expect.poll(() => pageText(page)).toContain('Signed (current)');
    const hash = (await page.getByTestId('agreement-hash').textContent())!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('hash-verified').textContent()).toContain('it matches');
    const { agreements } = await app.call('agreements.list', {});
    const stored = (await app.call('agreements.get', { agreementId: agreements[0]!.id })).agreement;
    expect(stored).toMatchObject({
      status: 'current',
      hash,
      signatory: { name: 'Chief Inspector Dana Okafor', method: 'drawn' },
      witness: { name: MANAGER.displayName, method: 'drawn' },
    });
    expect(stored.signatory!.points).toBeGreaterThan(40);
    const sign = (await app.call('audit.query', { filter: { kind: 'sign' } })).entries[0]!;
    expect(sign.details).toMatchObject({ hash });
    await screenshot(page, 'agreements-05-signed');
    await expectNoAxeViolations(page, 'signed agreement');

    // Export PDF: downloaded through the same mechanism as the audit CSV; the file's hash is the one shown and recorded.
    await page.getByLabel('Who it is for (optional)').fill('West Midlands Police records');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PDF' }).click()]);
    expect(download.suggestedFilename()).toBe('membership-agreement-west-midlands-police-v1.pdf');
    const file = (await download.path())!;
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    await expect.poll(() => page.getByTestId('pdf-sha256').textContent()).toBe(sha);
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Chief Inspector Dana Okafor');
    expect(text).toContain(hash);
    expect((await app.call('documents.verify', { sha256: sha })).matches).toHaveLength(1);
    expectNoProblems(app);
  }, 180_000);

  it('the typed signature path, with the keyboard alone', async () => {
    let draftId = 0;
    const app = await openApp({
      seed: async ({ call }) => {
        await seedPartnership(call);
        await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
        const { organisations } = await call('organisations.list', {});
        const police = organisations.find((o) => o.name === 'West Midlands Police')!;
        draftId = (await call('agreements.draft', { organisationId: police.id, kind: 'information_sharing', groupName: GROUP })).agreement
          .id;
        await call('session.lock', {});
      },
    });
    const { page } = app;
    await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
    await typeInto(page, { id: 'username' }, MANAGER.username);
    await typeInto(page, { id: 'passphrase' }, MANAGER.passphrase);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.type(JUSTIFICATION);
    await page.keyboard.press('Enter');
    await page.getByTestId('result-count').waitFor();

    await tabTo(page, { text: 'Agreements', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Agreements', level: 1 }).waitFor();
    await tabTo(page, { text: 'Information-sharing agreement, version 1', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Information-sharing agreement, version 1' }).waitFor();
    await tabTo(page, { text: 'Sign in the room', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Read the agreement together' }).waitFor();
    await tabTo(page, { text: 'Continue to signing', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'The signatory signs' }).waitFor();

    const signTyped = async (id: 'signatory' | 'witness', name: string, role: string) => {
      await typeInto(page, { id: `${id}-name` }, name);
      await typeInto(page, { id: `${id}-role` }, role);
      await tabTo(page, { id: `${id}-method` });
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => page.evaluate(`document.getElementById('${id}-method-typed')?.checked`)).toBe(true);
      await typeInto(page, { id: `${id}-typedName` }, name);
      await tabTo(page, { id: `${id}-attestation` });
      await page.keyboard.press('Space');
    };
    await signTyped('signatory', 'Insp. Ruth Hale', 'Inspector, data protection lead');
    await screenshot(page, 'agreements-06-typed-signature');
    await expectNoAxeViolations(page, 'typed signature step');
    await tabTo(page, { text: 'Continue to the witness', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'The witness signs' }).waitFor();
    // The witness cannot be the signatory.
    await signTyped('witness', 'Insp. Ruth Hale', 'Witness');
    await tabTo(page, { text: 'Continue to the check', tag: 'button' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('someone other than the signatory');
    await typeInto(page, { id: 'witness-name' }, MANAGER.displayName);
    await typeInto(page, { id: 'witness-typedName' }, MANAGER.displayName);
    await tabTo(page, { text: 'Continue to the check', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Check everything before sealing' }).waitFor();
    expect(await pageText(page)).toContain('(typed, with attestation)');
    await tabTo(page, { text: 'Seal the agreement', tag: 'button' });
    await page.keyboard.press('Enter');
    await expect.poll(() => pageText(page)).toContain('Signed (current)');
    await screenshot(page, 'agreements-07-typed-signed');
    await expectNoAxeViolations(page, 'typed signed agreement');

    const { agreement } = await app.call('agreements.get', { agreementId: draftId });
    expect(agreement).toMatchObject({
      status: 'current',
      signatory: { method: 'typed', typedName: 'Insp. Ruth Hale', png: null },
      witness: { method: 'typed', typedName: MANAGER.displayName },
    });
    expect(await page.getByTestId('agreement-hash').textContent()).toBe(agreement.hash);
    expectNoProblems(app);
  }, 180_000);

  it('the template editor saves an edit as the next version', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await unlockAs(page, MANAGER);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Agreements' }).click();
    await page.getByRole('button', { name: 'Edit the templates' }).click();
    await page.getByRole('heading', { name: 'Agreement templates' }).waitFor();
    await page.getByRole('heading', { name: /^Version 1, as shipped/ }).waitFor();
    await screenshot(page, 'agreements-08-template-editor');
    await expectNoAxeViolations(page, 'template editor');
    await page.getByLabel('Statement above the signatures').fill('I agree to support the priorities of the {group}.');
    await page.getByLabel('In force for (months)').fill('6');
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('In force for (months) must run at least until the review date');
    await page.getByLabel('In force for (months)').fill('18');
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await expect.poll(() => page.locator('#template-saved').textContent()).toContain('Saved as version 2');
    const { template } = await app.call('agreements.templates.get', { kind: 'membership' });
    expect([template.version, template.content.statement, template.content.validForMonths, template.createdBy]).toEqual([
      2,
      'I agree to support the priorities of the {group}.',
      18,
      MANAGER.displayName,
    ]);
    await expectNoAxeViolations(page, 'template saved');
    expectNoProblems(app);
  }, 120_000);
});
