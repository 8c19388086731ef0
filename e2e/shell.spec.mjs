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
  await page.getByTestId('lab-card-hash-ring').getByRole('link').first().click();
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
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.closest('[data-testid="lab-card-capacity"]') !== null);
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/labs\/capacity/);
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
  const wasm = index.match(/wasm\/scalelab_bg-[0-9a-f]{16}\.wasm/);
  expect(wasm).not.toBeNull();
  const res = await request.get(`/${wasm[0]}`, { headers: { 'accept-encoding': 'gzip' } });
  expect(res.headers()['content-type']).toBe('application/wasm');
  expect(res.headers()['content-encoding']).toBe('gzip');
  // A lab's pack (a deep link's first load of its pieces) has its precompressed copies too.
  const pack = index.match(/pack_cache-[0-9a-f]{16}\.bin/);
  expect(pack).not.toBeNull();
  const packed = await request.get(`/wasm/${pack[0]}`, { headers: { 'accept-encoding': 'br' } });
  expect(packed.headers()['content-encoding']).toBe('br');
});

test("a lab's code that fails to load gives a message and a retry that works", async ({ page }) => {
  const errors = watchErrors(page, [/split_lab_cache|failed to load|Failed to fetch|ERR_FAILED/i]);
  // The deep link's pack fails, then so does the lab's own piece fetched alone.
  await page.route('**/wasm/pack_cache-*.bin', (route) => route.abort());
  await page.route('**/wasm/split_lab_cache-*.wasm', (route) => route.abort());
  await page.goto('/labs/cache');
  await expect(page.getByTestId('lab-load-error')).toBeVisible();
  await expect(page.getByTestId('lab-load-error')).toContainText('could not be loaded');
  await expect(page.locator('.site-header .brand')).toBeVisible();
  await page.unroute('**/wasm/split_lab_cache-*.wasm');
  await page.getByTestId('lab-retry').click();
  await waitForApp(page);
  await expect(page.getByTestId('play')).toBeVisible();
  await expect(page.getByTestId('lab-load-error')).toHaveCount(0);
  errors.check();
});

test("moving between labs fetches only the new lab's pieces, once each", async ({ page }) => {
  const fetched = [];
  page.on('request', (req) => { if (req.url().endsWith('.wasm')) fetched.push(new URL(req.url()).pathname.split('/').pop()); });
  await page.goto('/');
  await waitForApp(page);
  expect(fetched.filter((f) => f.startsWith('split_lab_'))).toEqual([]);
  await page.locator('a[href$="/labs/cache"]').first().click();
  await waitForApp(page);
  await expect(page.getByTestId('play')).toBeVisible();
  expect(fetched.filter((f) => f.startsWith('split_lab_')).map((f) => f.split('-')[0])).toEqual(['split_lab_cache']);
  await page.goBack();
  await waitForApp(page);
  const before = fetched.length;
  await page.locator('a[href$="/labs/cache"]').first().click();
  await waitForApp(page);
  await expect(page.getByTestId('play')).toBeVisible();
  expect(fetched.length, 'a lab opened again fetches nothing').toBe(before);
  await page.locator('a[href$="/labs/hash-ring"]').first().click();
  await waitForApp(page);
  const labs = fetched.filter((f) => f.startsWith('split_lab_')).map((f) => f.split('-')[0]);
  expect(labs).toEqual(['split_lab_cache', 'split_lab_hash_ring']);
  expect(new Set(fetched).size, 'no piece is fetched twice').toBe(fetched.length);
});

/** Records the file name of every wasm and pack request of `page`, in order. */
function codeRequests(page) {
  const fetched = [];
  page.on('request', (req) => { if (/\.(wasm|bin)$/.test(req.url())) fetched.push(new URL(req.url()).pathname.split('/').pop()); });
  return fetched;
}

test("a deep link to a lab fetches its pieces as one pack with the main wasm, and no piece twice", async ({ page, request }) => {
  const { labs, packs } = await (await request.get('wasm/routes.json')).json();
  const fetched = codeRequests(page);
  await page.goto('/labs/replication');
  await waitForApp(page);
  await expect(page.getByTestId('play')).toBeVisible();
  // Only the main wasm and the lab's pack: the pieces the pack holds are not requested alone.
  expect(fetched.map((f) => f.split('-')[0]).sort()).toEqual(['pack_replication', 'scalelab_bg']);
  expect(fetched).toContain(packs.replication);
  // Moving to another lab fetches that lab's pieces one by one, but none the pack held.
  await page.locator('a[href$="/labs/cache"]').first().click();
  await waitForApp(page);
  await expect(page.getByTestId('play')).toBeVisible();
  const after = fetched.slice(2);
  expect(after.map((f) => f.split('-')[0])).toContain('split_lab_cache');
  for (const file of after) expect(labs.replication, `${file} came in the pack already`).not.toContain(file);
  expect(new Set(fetched).size, 'no file is fetched twice').toBe(fetched.length);
});

test("a deep link whose pack fails to load fetches the lab's pieces one by one", async ({ page, request }) => {
  const { labs } = await (await request.get('wasm/routes.json')).json();
  const errors = watchErrors(page, [/ERR_FAILED|Failed to load resource/i]);
  const fetched = codeRequests(page);
  await page.route('**/wasm/pack_*.bin', (route) => route.abort());
  await page.goto('/labs/hash-ring');
  await waitForApp(page);
  await expect(page.getByTestId('play')).toBeVisible();
  await expect(page.getByTestId('lab-load-error')).toHaveCount(0);
  const pieces = fetched.filter((f) => !f.startsWith('pack_') && !f.startsWith('scalelab_bg'));
  expect(pieces.sort()).toEqual([...labs['hash-ring']].sort());
  errors.check();
});
