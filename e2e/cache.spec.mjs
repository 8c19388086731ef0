// The cache strategies lab end to end: URL state, theory against simulation, write-behind loss,
// the stampede and its cure, hostile input, compare, the lesson goal, keyboard, long runs.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric, seriousViolations, at, openSandboxWithQuery, phonePage, expectNoOverflow } from './helpers.mjs';

const METRICS = ['hit-ratio', 'theory-hit-ratio', 'db-reads-per-s', 'db-writes-per-s', 'latency-p50-ms',
  'latency-p99-ms', 'stale-reads', 'lost-writes', 'db-peak-concurrency'];

test('the page loads cleanly with every metric, the diagram and the charts', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/cache?mode=sandbox&until=5');
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cache strategies');
  await at(page, 5);
  for (const name of METRICS) await expect(page.getByTestId(`metric-${name}`)).toBeVisible();
  await expect(page.getByTestId('metric-theory-hit-ratio')).toHaveText('n/a');
  await expect(page.getByTestId('flow-diagram')).toContainText('Database');
  await expect(page.getByTestId('flow-db-reads')).toHaveCount(1);
  for (const chart of ['chart-hit-ratio', 'chart-db-load', 'chart-db-concurrency', 'chart-latency']) {
    await expect(page.getByTestId(chart).locator('svg')).toBeVisible();
  }
  await expect(page.getByTestId('cache-contents').locator('tbody tr')).toHaveCount(20);
  expect(await seriousViolations(page)).toEqual([]);
  errors.check();
});

test('URL parameters apply, and the URL follows every change', async ({ page }) => {
  const query = 'strategy=write_through&eviction=lfu&capacity=500&keys=2000&alpha=1.1&read_ratio=0.8&rate=2000'
    + '&ttl_s=0&db_latency_ms=10&db_concurrency=50&cache_latency_ms=0.5&flush_ms=500&refresh_window=0.3'
    + '&protection=lock&beta=2';
  await openSandboxWithQuery(page, 'cache', query, 7, {
    strategy: 'write_through', eviction: 'lfu', protection: 'lock', capacity: '500', alpha: '1.1',
  });
  // A change goes through the validated setter and into the URL.
  await page.getByTestId('input-ttl_s').fill('30');
  await page.getByTestId('input-ttl_s').press('Enter');
  await expect(page).toHaveURL(/ttl_s=30/);
  await page.getByTestId('input-strategy').selectOption('write_behind');
  await expect(page).toHaveURL(/strategy=write_behind/);
  await expect(page.getByTestId('flow-caption')).toContainText('Write-behind');
});

test("a read-only LRU stream lands on Che's approximation", async ({ page }) => {
  await page.goto('/labs/cache?mode=sandbox&read_ratio=1&ttl_s=0&eviction=lru&keys=1000&alpha=0.8&capacity=100'
    + '&rate=5000&db_latency_ms=0&until=20');
  await waitForApp(page);
  await at(page, 20);
  const theory = await metric(page, 'theory-hit-ratio');
  expect(Math.abs(theory - 0.378)).toBeLessThan(0.001);
  const hit = await metric(page, 'hit-ratio');
  expect(Math.abs(hit - theory), `${hit} vs ${theory}`).toBeLessThanOrEqual(0.03);
  // LFU's bound is the top-100 popularity mass, 0.526.
  await page.getByTestId('input-eviction').selectOption('lfu');
  await expect(page.getByTestId('metric-theory-hit-ratio')).toHaveAttribute('data-value', /^0\.525/);
});

test('a crash loses write-behind\'s queued writes; write-through loses none', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/cache?mode=sandbox&strategy=write_behind&read_ratio=0.5&until=5.5');
  await waitForApp(page);
  await at(page, 5.5);
  expect(await metric(page, 'write-queue')).toBeGreaterThan(0);
  await page.getByTestId('crash-cache').click();
  await expect(page.getByTestId('metric-lost-writes')).not.toHaveAttribute('data-value', '0');
  expect(await metric(page, 'lost-writes')).toBeGreaterThan(0);
  await expect(page.getByTestId('action-message')).toContainText('lost');
  await expect(page.getByTestId('event-log')).toContainText('crashed');

  await page.goto('/labs/cache?mode=sandbox&strategy=write_through&read_ratio=0.5&until=5.5');
  await waitForApp(page);
  await at(page, 5.5);
  await page.getByTestId('crash-cache').click();
  await expect(page.getByTestId('action-message')).toContainText('0 acknowledged writes');
  expect(await metric(page, 'lost-writes')).toBe(0);
  // A planned flush writes write-behind's queue out first.
  await page.getByTestId('input-strategy').selectOption('write_behind');
  await page.getByTestId('step').click();
  await page.getByTestId('flush-cache').click();
  expect(await metric(page, 'lost-writes')).toBe(0);
  errors.check();
});

test('a stampede sends one query with the lock and a hundred without', async ({ page }) => {
  const quiet = 'keys=100&capacity=100&alpha=1&read_ratio=1&ttl_s=0&db_latency_ms=50&until=10&mode=sandbox';
  await page.goto(`/labs/cache?${quiet}&protection=lock`);
  await waitForApp(page);
  await at(page, 10);
  await page.getByTestId('stampede').click();
  await expect(page.getByTestId('metric-lock-waits')).toHaveAttribute('data-value', '99');
  expect(await metric(page, 'db-peak-concurrency')).toBe(1);
  expect(await metric(page, 'hot-key-db-reads')).toBe(1);

  await page.goto(`/labs/cache?${quiet}&protection=none`);
  await waitForApp(page);
  await at(page, 10);
  await page.getByTestId('stampede').click();
  await expect(page.getByTestId('metric-db-peak-concurrency')).toHaveAttribute('data-value', '100');
  // Expiring the hot key under traffic lets the clients that arrive during the load through too.
  await page.getByTestId('expire-hot-key').click();
  await page.getByTestId('step').click();
  expect(await metric(page, 'hot-key-db-reads')).toBeGreaterThan(1);
});

test('hostile URL values fall back to defaults with a visible notice', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/cache?mode=sandbox&strategy=%3Cscript%3E&eviction=lru;drop&capacity=0&keys=1e99'
    + '&alpha=NaN&read_ratio=2&rate=-1&ttl_s=&db_latency_ms=Infinity&flush_ms=1&protection=evil&beta=99&seed=x&until=-3&bogus=1');
  await waitForApp(page);
  const notice = page.getByTestId('url-notice');
  await expect(notice).toBeVisible();
  for (const key of ['strategy', 'eviction', 'capacity', 'keys', 'alpha', 'read_ratio', 'rate', 'ttl_s',
    'db_latency_ms', 'flush_ms', 'protection', 'beta', 'seed', 'until', 'bogus']) {
    await expect(notice).toContainText(key);
  }
  await expect(page.getByTestId('input-strategy')).toHaveValue('cache_aside');
  await expect(page.getByTestId('input-capacity')).toHaveValue('1000');
  await expect(page.getByTestId('input-ttl_s')).toHaveValue('60');
  // Typing nonsense shows an inline message and keeps the last good value.
  for (const bad of ['0', 'abc', '', '2000000']) {
    await page.getByTestId('input-capacity').fill(bad);
    await page.getByTestId('input-capacity').press('Enter');
    await expect(page.getByTestId('error-capacity')).not.toBeEmpty();
  }
  await expect(page).toHaveURL(/capacity=1000(&|$)/);
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  await page.getByTestId('play').click();
  expect(await page.locator('.lab-main').innerText()).not.toMatch(/\bNaN\b|\binf(inity)?\b/i);
  errors.check();
});

test('compare shows one row per chosen variant on the same stream', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/cache?mode=sandbox&keys=1000&alpha=0.8&capacity=100&db_latency_ms=0');
  await waitForApp(page);
  // Strategies: the three defaults plus read-through.
  await page.getByTestId('compare-variant-read_through').check();
  await page.getByTestId('compare-requests').selectOption('10000');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-row')).toHaveCount(4, { timeout: 30_000 });
  await expect(page.getByTestId('compare-same-stream')).toContainText('exactly the same');
  await expect(page.getByTestId('chart-compare').locator('svg')).toBeVisible();

  // Eviction policies with the textbook stream: theory next to the simulation.
  await page.getByTestId('compare-kind').selectOption('evictions');
  await expect(page.getByTestId('compare-textbook')).toBeChecked();
  await page.getByTestId('compare-variant-sieve').uncheck();
  await page.getByTestId('compare-variant-lfu').uncheck();
  await expect(page.getByTestId('compare-run')).toBeEnabled();
  await page.getByTestId('compare-variant-random').check();
  await page.getByTestId('compare-requests').selectOption('100000');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-progress')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('compare-row')).toHaveCount(3);
  const theory = await page.getByTestId('compare-theory').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
  const hits = await page.getByTestId('compare-hit-ratio').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
  expect(theory[0]).toBeCloseTo(0.378, 3); // LRU
  expect(theory[1]).toBeCloseTo(0.334, 3); // FIFO
  hits.forEach((h, i) => expect(Math.abs(h - theory[i]), `${h} vs ${theory[i]}`).toBeLessThan(0.03));
  // One variant is not a comparison.
  for (const v of ['fifo', 'random']) await page.getByTestId(`compare-variant-${v}`).uncheck();
  await expect(page.getByTestId('compare-run')).toBeDisabled();
  errors.check();
});

test('the lesson predicts before it runs, and the stampede goal can be met', async ({ page }) => {
  await page.goto('/labs/cache?step=8');
  await waitForApp(page);
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '8');
  await page.getByTestId('predict-option-2').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Right');
  await expect(page.getByTestId('metric-db-peak-concurrency')).toHaveAttribute('data-value', /^1\d\d$/, { timeout: 30_000 });

  await page.getByTestId('lesson-next').click();
  await expect(page).toHaveURL(/step=9/);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await page.getByTestId('lesson-run').click();
  await at(page, 10);
  await page.getByTestId('input-protection').selectOption('lock');
  await page.getByTestId('stampede').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met');
  expect(await metric(page, 'db-peak-concurrency')).toBe(1);
});

test('the stale-read goal: switch to write-through', async ({ page }) => {
  await page.goto('/labs/cache?step=5');
  await waitForApp(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await page.getByTestId('input-strategy').selectOption('write_through');
  await page.getByTestId('speed').selectOption('30');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 30_000 });
});

test('the write-behind crash step shows lost writes after its prediction', async ({ page }) => {
  await page.goto('/labs/cache?step=7');
  await waitForApp(page);
  await page.getByTestId('predict-option-1').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('metric-lost-writes')).not.toHaveAttribute('data-value', '0', { timeout: 30_000 });
  expect(await metric(page, 'lost-writes')).toBeGreaterThan(50);
  await expect(page.getByTestId('sim-time')).toHaveAttribute('data-value', '20');
});

test('keyboard alone changes a parameter and crashes the cache', async ({ page }) => {
  await page.goto('/labs/cache?mode=sandbox&strategy=write_behind&read_ratio=0.5&until=2.5');
  await waitForApp(page);
  await at(page, 2.5);
  await page.getByTestId('slider-ttl_s').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('input-ttl_s')).toHaveValue('61');
  await expect(page).toHaveURL(/ttl_s=61/);
  await page.getByTestId('input-eviction').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(/eviction=lfu/);
  await page.getByTestId('crash-cache').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('action-message')).toContainText('crashed');
  // Focus is visible.
  const outline = await page.getByTestId('crash-cache').evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
});

test('10,000,000 requests over 1,000,000 keys run in slices without freezing the page', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await page.goto('/labs/cache?mode=sandbox&keys=1000000&capacity=1000000&rate=100000&until=100');
  await waitForApp(page);
  await expect(page.getByTestId('fast-forward')).toBeVisible();
  // The page stays responsive while it runs: a click is handled at once.
  await page.getByTestId('mode-lesson').click();
  await expect(page.getByTestId('mode-lesson')).toHaveAttribute('aria-pressed', 'true', { timeout: 2_000 });
  await page.getByTestId('mode-sandbox').click();
  await at(page, 100, 220_000);
  expect(await metric(page, 'requests')).toBeGreaterThan(9_900_000);
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  errors.check();
});

for (const scheme of ['dark', 'light']) {
  test(`the cache lab passes axe-core in ${scheme} mode on a phone, without overflow`, async ({ browser }) => {
    const page = await phonePage(browser, scheme);
    const errors = watchErrors(page);
    await page.goto('/labs/cache?mode=sandbox&strategy=write_behind&until=3');
    await waitForApp(page);
    await at(page, 3);
    await page.getByTestId('crash-cache').click();
    await page.getByTestId('compare-requests').selectOption('10000');
    await page.getByTestId('compare-run').click();
    await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 30_000 });
    await page.locator('details.model summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoOverflow(page);
    errors.check();
    await page.close();
  });
}

test('a lesson step opens the parameter group of a setting it sets', async ({ page }) => {
  await page.goto('/labs/cache?mode=sandbox');
  await waitForApp(page);
  await expect(page.getByTestId('input-db_latency_ms')).toBeHidden();
  await page.goto('/labs/cache?step=5');
  await waitForApp(page);
  await expect(page.getByTestId('input-db_latency_ms')).toBeVisible();
});
