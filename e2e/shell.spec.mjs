// The app shell: every route loads without console errors, passes axe-core, and is keyboard-usable.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, seriousViolations, phonePage, expectNoOverflow, registryLabs } from './helpers.mjs';

const labs = registryLabs();
const ready = labs.filter((l) => l.ready);
const soon = labs.filter((l) => !l.ready);
const routes = ['/', ...ready.map((l) => `/labs/${l.slug}`), '/no/such/page'];

for (const route of routes) {
  test(`${route} loads cleanly and passes axe-core`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(route);
    await waitForApp(page);
    await page.waitForTimeout(300);
    expect(await seriousViolations(page)).toEqual([]);
    errors.check();
  });
}

test('home lists every lab, ready ones link to their page', async ({ page }) => {
  await page.goto('/');
  await waitForApp(page);
  expect(ready.length).toBeGreaterThanOrEqual(5);
  for (const { slug } of ready) {
    await expect(page.getByTestId(`lab-card-${slug}`)).toBeVisible();
    await expect(page.getByTestId(`lab-card-${slug}`)).not.toContainText('Coming soon');
    await expect(page.getByRole('navigation', { name: 'Labs' }).locator(`a[href$="/labs/${slug}"]`)).toHaveCount(1);
  }
  for (const { slug } of soon) {
    await expect(page.getByTestId(`lab-card-${slug}`)).toContainText('Coming soon');
  }
  await page.getByTestId('lab-card-hash-ring').getByRole('link').click();
  await expect(page).toHaveURL(/\/labs\/hash-ring/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hash ring');
});

test('unknown paths show the not-found page', async ({ page }) => {
  await page.goto('/definitely/not/here');
  await expect(page.getByTestId('not-found')).toBeVisible();
  await page.goto('/labs/unknown-lab');
  await expect(page.getByTestId('not-found')).toBeVisible();
});

test('a lab that is coming soon has its page; moving between labs swaps the page', async ({ page }) => {
  const errors = watchErrors(page);
  if (soon.length > 0) {
    await page.goto(`/labs/${soon[0].slug}`);
    await expect(page.getByTestId('coming-soon')).toBeVisible();
  }
  await page.goto('/labs/cache?mode=sandbox');
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cache');
  await page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Replication lag' }).click();
  await expect(page).toHaveURL(/\/labs\/replication/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Replication');
  await expect(page.getByTestId('metric-ryw-violations')).toBeVisible();
  errors.check();
});

test('keyboard alone reaches and uses the home links', async ({ page }) => {
  await page.goto('/');
  await waitForApp(page);
  let reached = false;
  for (let i = 0; i < 15 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.closest('[data-testid="lab-card-hash-ring"]') !== null);
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/labs\/hash-ring/);
});

for (const scheme of ['dark', 'light']) {
  test(`the hash ring lab passes axe-core in ${scheme} mode on a phone, after a change`, async ({ browser }) => {
    const page = await phonePage(browser, scheme);
    const errors = watchErrors(page);
    await page.goto('/labs/hash-ring?mode=sandbox&nodes=6');
    await waitForApp(page);
    await expect(page.getByTestId('placement-progress')).toHaveCount(0, { timeout: 30_000 });
    await page.getByTestId('add-node').click();
    await expect(page.getByTestId('cost-table')).toBeVisible();
    await page.locator('details.model summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing overflows the phone's width except inside scrollable tables.
    await expectNoOverflow(page);
    errors.check();
    await page.close();
  });
}

test('while the wasm loads the page shows its frame and says so; then the app replaces it', async ({ page }) => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  await page.goto('/labs/cache');
  await expect(page.locator('#boot')).toBeVisible();
  await expect(page.locator('#boot')).toContainText('Loading the labs');
  release();
  await waitForApp(page);
  await expect(page.locator('#boot')).toHaveCount(0);
});

test('a wasm that fails to load gives a message with a retry button, not a blank page', async ({ page }) => {
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto('/');
  await expect(page.locator('#boot .boot-error')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  await page.unroute('**/*.wasm');
  await page.getByRole('button', { name: 'Try again' }).click();
  await waitForApp(page);
});

test('text and wasm are sent precompressed', async ({ request }) => {
  const html = await request.get('/', { headers: { 'accept-encoding': 'br' } });
  expect(html.headers()['content-encoding']).toBe('br');
  const index = await html.text();
  const wasm = index.match(/[\w-]+_bg\.wasm|[\w-]+\.wasm/);
  expect(wasm).not.toBeNull();
  const res = await request.get(`/${wasm[0]}`, { headers: { 'accept-encoding': 'gzip' } });
  expect(res.headers()['content-encoding']).toBe('gzip');
});
