// The renderer e2e harness: a real store in a temp folder, a Host and the HTTP transport inside the test
// process (so tests can seed and inspect the store through the dispatcher), the built renderer served by
// that transport, and Debian Chromium opened on the transport's page URL. Also: screenshots under
// test-results/, an axe check that fails on any violation, keyboard helpers, and a guard that fails the
// test on any page error or CSP violation.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Host, type HostOptions } from '../../../src/host/host.js';
import { startHttpTransport, type HttpTransport } from '../../../src/transport/http-transport.js';
import { KDF_FLOOR } from '../../../src/vault/slot-crypto.js';
import { call as callHost, type Call } from '../../support/partnership.js';
import { launchChromium, newContext } from './browser.js';
import { REPO_ROOT, rendererRoot } from './renderer-build.js';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'renderer');

export interface App {
  host: Host;
  dataDir: string;
  transport: HttpTransport;
  context: BrowserContext;
  page: Page;
  /** Dispatches straight into the host (for seeding and checking), failing on a refusal. */
  call: Call;
  /** Problems the page reported: uncaught errors, console errors, CSP violations. */
  problems: string[];
}

let browser: Browser | null = null;
const open: (() => Promise<void>)[] = [];

/** Registers the browser and the per-test cleanup for the calling test file. */
export function useRendererHarness(): void {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    while (open.length) await open.pop()!();
  });
  afterAll(async () => {
    await browser?.close();
    browser = null;
  });
}

export interface OpenOptions {
  /** Runs against the host before the page opens (the store is fresh and uninitialised). */
  seed?: (app: Pick<App, 'host' | 'call'>) => Promise<void>;
  /** After seeding, the store is closed, this edits its files (as an attacker might), and a new host opens them. */
  tamper?: (dataDir: string) => void;
  /** Options of the host the page talks to (other migrations, say), beside the fast key derivation. */
  host?: HostOptions;
}

export async function openApp(options: OpenOptions = {}): Promise<App> {
  if (!browser) throw new Error('call useRendererHarness() in the test file');
  const dataDir = mkdtempSync(join(tmpdir(), 'concordat-e2e-'));
  let host = new Host(dataDir, { kdf: { ...KDF_FLOOR }, ...options.host });
  // Reads `host` when called: a tamper below replaces it.
  const call: Call = (name, input) => callHost(host, name, input);
  open.push(async () => {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  if (options.seed) await options.seed({ host, call });
  if (options.tamper) {
    await host.close();
    options.tamper(dataDir);
    host = new Host(dataDir, { kdf: { ...KDF_FLOOR }, ...options.host });
  }

  const transport = await startHttpTransport({ host, staticRoot: rendererRoot() });
  open.push(() => transport.close());
  const context = await newContext(browser);
  open.push(() => context.close());
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  await page.goto(transport.pageUrl);
  return { host, dataDir, transport, context, page, call, problems };
}

/** Fails the test if the page logged an error or broke its CSP. */
export function expectNoProblems(app: App): void {
  expect(app.problems, app.problems.join('\n')).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const AXE_SOURCE = readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core over the page and fails on any violation (every rule axe runs by default, best
 * practices included). axe is evaluated through the DevTools protocol rather than added as a script
 * tag, because the page's CSP refuses inline scripts and the test must not switch the CSP off.
 */
export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const loaded = await page.evaluate('typeof window.axe !== "undefined"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
  )) as AxeViolation[];
  const report = violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 5)
          .map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
          .join('\n')}`,
    )
    .join('\n');
  expect(violations.length, `axe violations on ${screen}:\n${report}`).toBe(0);
}

// ── keyboard ──────────────────────────────────────────────────────────────────────────────────────────

export type FocusTarget = { id: string } | { text: string; tag?: string } | { label: string };

function focusTest(target: FocusTarget): string {
  const el = 'document.activeElement';
  if ('id' in target) return `${el}?.id === ${JSON.stringify(target.id)}`;
  if ('label' in target) return `(${el}?.labels?.[0]?.textContent ?? '').trim() === ${JSON.stringify(target.label)}`;
  const tag = target.tag ? ` && ${el}.tagName === ${JSON.stringify(target.tag.toUpperCase())}` : '';
  return `!!${el} && (${el}.textContent ?? '').replace(/\\s+/g, ' ').trim().startsWith(${JSON.stringify(target.text)})${tag}`;
}

/** Presses Tab (or Shift+Tab) until the target has focus: the keyboard user's way to reach a control. */
export async function tabTo(page: Page, target: FocusTarget, { backwards = false, max = 120 } = {}): Promise<void> {
  const test = focusTest(target);
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(test)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(
    `Tab never reached ${JSON.stringify(target)}; focus is on ${await page.evaluate('document.activeElement?.outerHTML.slice(0, 200)')}`,
  );
}

/** Tabs to a text field and types into it (replacing what it held). */
export async function typeInto(page: Page, target: FocusTarget, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.type(text);
}

export async function focusedId(page: Page): Promise<string> {
  return (await page.evaluate('document.activeElement?.id ?? ""')) as string;
}

/** The visible text of the whole page, for "never shown" checks. */
export async function pageText(page: Page): Promise<string> {
  return (await page.evaluate('document.body.innerText')) as string;
}

/** Everything in the DOM, hidden or not, for "never in the page at all" checks. */
export async function pageHtml(page: Page): Promise<string> {
  return page.content();
}
