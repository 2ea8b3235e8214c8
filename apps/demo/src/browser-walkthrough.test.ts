import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@strata/testkit';
import { migrateTestDatabase, startDemoTestServer, type DemoTestServer } from './testing/demo-test-server.js';

/*
 * Drives the demo page end to end in real headless Chromium (Debian's `chromium` package,
 * installed by .ci/run) through playwright-core. Set STRATA_DEMO_SCREENSHOT to a file path
 * to save a screenshot of the organization view (docs/images/demo-walkthrough.png is made
 * this way).
 */
const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI) throw new Error(`${chromiumPath} is missing: .ci/run installs Debian's chromium package`);
if (!hasChromium) console.warn(`[browser test] skipped: ${chromiumPath} not found (apt-get install -y chromium)`);

const database = useTestDatabase();
let demo: DemoTestServer;
let browser: Browser;
const pageErrors: string[] = [];

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // 4xx answers the page handles itself (e.g. GET /api/session while signed out) are logged by Chromium too.
    if (message.type() === 'error' && !/status of 40[14]/.test(message.text())) pageErrors.push(message.text());
  });
  await page.goto(demo.baseUrl);
  await page.waitForSelector('body[data-ready=true]');
  return page;
}

async function fill(page: Page, form: string, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await page.fill(`#${form} [name=${name}]`, value);
  await page.click(`#${form} button[type=submit]`);
}

async function followMailLink(page: Page, to: string, subject: string): Promise<void> {
  await expect.poll(() => demo.mailer.latest(to, subject)).toBeDefined();
  await page.goto(demo.mailer.latest(to, subject)!.link);
  await page.waitForSelector('body[data-ready=true]');
}

const texts = (page: Page, testId: string) => page.locator(`[data-testid=${testId}]`).allTextContents();

describe.skipIf(!hasChromium)('the demo page in headless Chromium', () => {
  beforeAll(async () => {
    await migrateTestDatabase(database);
    demo = await startDemoTestServer(database);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('signs up, verifies, creates an organization with a project, invites, accepts, builds a team, resets a password and signs out', async () => {
    const ownerContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const owner = await newPage(ownerContext);
    await fill(owner, 'sign-up-form', { name: 'Olivia', email: 'olivia@example.com', password: 'olivia password 1' });
    await expect.poll(() => owner.textContent('[data-testid=current-user]')).toBe('Olivia <olivia@example.com>');
    expect(await owner.isVisible('#verify-banner')).toBe(true);

    await followMailLink(owner, 'olivia@example.com', 'Verify');
    expect(await owner.textContent('#notice')).toBe('Your email address is verified.');
    expect(await owner.isVisible('#verify-banner')).toBe(false);

    await fill(owner, 'organization-form', { name: 'Initech', slug: 'initech' });
    await expect.poll(() => owner.textContent('#organization-title')).toBe('Initech');
    await fill(owner, 'project-form', { name: 'TPS reports', description: 'new cover sheets' });
    await expect.poll(() => texts(owner, 'project')).toEqual(['TPS reports new cover sheetsDelete']);
    await fill(owner, 'invitation-form', { email: 'peter@example.com' });
    await expect.poll(() => texts(owner, 'pending-invitation')).toEqual(['invited: peter@example.com (member)']);

    const inviteeContext = await browser.newContext();
    const invitee = await newPage(inviteeContext);
    await fill(invitee, 'sign-up-form', { email: 'peter@example.com', password: 'peter password 1' });
    await expect.poll(() => texts(invitee, 'my-invitation')).toEqual(['Initech (member) AcceptDecline']);
    await followMailLink(invitee, 'peter@example.com', 'Verify');
    await invitee.click('[data-testid=my-invitation] button:has-text("Accept")');
    await expect.poll(() => invitee.textContent('#organization-title')).toBe('Initech');
    await expect.poll(() => texts(invitee, 'project')).toEqual(['TPS reports new cover sheets']); // members cannot delete
    expect(await invitee.isVisible('#team-form')).toBe(false);

    await owner.reload();
    await owner.waitForSelector('body[data-ready=true]');
    await expect.poll(() => texts(owner, 'member')).toEqual(['olivia@example.com — owner', 'peter@example.com — member']);
    await fill(owner, 'team-form', { name: 'Printers' });
    await owner.selectOption('[data-testid=team] select', { label: 'peter@example.com' });
    await owner.click('[data-testid=team] button:has-text("Add to team")');
    await expect.poll(() => texts(owner, 'team')).toEqual([expect.stringContaining('Printers: peter@example.com')]);
    if (process.env.STRATA_DEMO_SCREENSHOT) {
      const target = resolve(process.env.STRATA_DEMO_SCREENSHOT);
      mkdirSync(dirname(target), { recursive: true });
      await owner.screenshot({ path: target, fullPage: true });
    }

    // Password reset in a fresh browser: request, follow the mailed link, set, sign in.
    const resetContext = await browser.newContext();
    const visitor = await newPage(resetContext);
    await fill(visitor, 'reset-request-form', { email: 'peter@example.com' });
    await expect.poll(() => visitor.textContent('#notice')).toContain('reset link');
    await followMailLink(visitor, 'peter@example.com', 'Reset');
    expect(await visitor.isVisible('#reset-panel')).toBe(true);
    await fill(visitor, 'reset-confirm-form', { password: 'peter new password' });
    await expect.poll(() => visitor.textContent('#notice')).toBe('Password changed. Sign in with the new one.');
    await fill(visitor, 'sign-in-form', { email: 'peter@example.com', password: 'peter new password' });
    await expect.poll(() => visitor.textContent('[data-testid=current-user]')).toBe(' <peter@example.com>');
    // Peter's first browser was signed out by the reset.
    await invitee.reload();
    await invitee.waitForSelector('body[data-ready=true]');
    expect(await invitee.isVisible('#sign-in-form')).toBe(true);

    await owner.click('#sign-out');
    await expect.poll(() => owner.isVisible('#sign-in-form')).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('shows the API error of a failed action on the page', async () => {
    const context = await browser.newContext();
    const page = await newPage(context);
    await fill(page, 'sign-in-form', { email: 'olivia@example.com', password: 'not her password' });
    await expect.poll(() => page.textContent('#error')).toBe('Invalid email or password');
  });
});
