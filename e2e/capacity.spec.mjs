// The capacity calculator end to end: the seeds' sizing, queueing figures, simulation, presets,
// hostile input and the lesson goal.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric } from './helpers.mjs';

function near(actual, expected, tolerance) {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

test("the seeds' 100,000 RPS example: 2, 3, 6 servers", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/capacity?mode=sandbox&rps=100000&latency_ms=200&concurrency=10000&headroom_pct=50&redundancy=double');
  await waitForApp(page);
  expect(await metric(page, 'concurrency')).toBe(20000);
  expect(await metric(page, 'servers-base')).toBe(2);
  expect(await metric(page, 'servers-with-headroom')).toBe(3);
  expect(await metric(page, 'servers')).toBe(6);
  await expect(page.getByTestId('calc-servers_base')).toContainText('2 servers');
  // Target mode: 2 erlangs of load at most 70% busy needs 3 servers.
  await expect(page.getByTestId('target-utilization-servers')).toHaveAttribute('data-value', '3');
  errors.check();
});

test('M/M/1 at 80%: p99 = -ln(0.01)/(mu - lambda), and the simulation agrees', async ({ page }) => {
  await page.goto('/labs/capacity?mode=sandbox&rps=80&service_ms=10&concurrency=1&servers=1&until=1800&seed=5');
  await waitForApp(page);
  near(await metric(page, 'utilization'), 0.8, 1e-9);
  near(await metric(page, 'p99-ms'), 230.2585, 0.01);
  await expect(page.getByTestId('sim-time')).toHaveAttribute('data-value', '1800', { timeout: 30_000 });
  // 144,000 completions at 80% utilisation: the simulated p99 is within 10% of the formula.
  near(await metric(page, 'sim-p99-ms'), 230.2585, 23);
});

test('Erlang C worked example: lambda 2, mu 1, c 3 gives 0.4444 and 0.4444', async ({ page }) => {
  await page.goto('/labs/capacity?mode=sandbox&rps=2&service_ms=1000&concurrency=1&servers=3');
  await waitForApp(page);
  near(await metric(page, 'wait-probability'), 0.4444, 1e-4);
  near(await metric(page, 'mean-wait-ms'), 444.4, 0.1);
});

test('an overloaded fleet says unstable instead of showing NaN or infinity', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/capacity?mode=sandbox&rps=120&service_ms=10&concurrency=1&servers=1');
  await waitForApp(page);
  await expect(page.getByTestId('metric-p99-ms')).toHaveText('unstable');
  await expect(page.getByTestId('metric-p99-ms')).toHaveAttribute('data-value', '');
  await expect(page.getByTestId('plan-warnings')).toContainText('unstable');
  await page.getByTestId('play').click();
  await page.waitForTimeout(1000);
  await page.getByTestId('play').click();
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(/\bNaN\b|\binf(inity)?\b/i);
  errors.check();
});

test('hostile URL values fall back to defaults with a notice', async ({ page }) => {
  await page.goto('/labs/capacity?mode=sandbox&rps=-5&servers=NaN&redundancy=%3Cimg%3E&latency_ms=1e999&hit_ratio=2');
  await waitForApp(page);
  const notice = page.getByTestId('url-notice');
  for (const key of ['rps', 'servers', 'redundancy', 'latency_ms', 'hit_ratio']) await expect(notice).toContainText(key);
  expect(await metric(page, 'servers')).toBe(6);
});

test('the cache preset gives 10 database reads per second at 99% hits', async ({ page }) => {
  await page.goto('/labs/capacity?mode=sandbox');
  await waitForApp(page);
  await page.getByTestId('preset').selectOption('cache_1000');
  near(await metric(page, 'db-reads-per-s'), 10, 1e-9);
  await page.getByTestId('input-hit_ratio').fill('0.9');
  await page.getByTestId('input-hit_ratio').press('Enter');
  await expect(page.getByTestId('metric-db-reads-per-s')).toHaveAttribute('data-value', '100');
  await expect(page).toHaveURL(/hit_ratio=0.9/);
});

test('the lesson goal: utilisation under 70% with the fewest servers', async ({ page }) => {
  await page.goto('/labs/capacity?step=4');
  await waitForApp(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await page.getByTestId('input-servers').fill('12');
  await page.getByTestId('input-servers').press('Enter');
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met');
});

test('a prediction hides the panel that answers it until the learner locks in', async ({ page }) => {
  await page.goto('/labs/capacity?step=1');
  await waitForApp(page);
  await expect(page.locator('.predict-first')).toBeVisible();
  await expect(page.locator('[data-testid^="calc-"]')).toHaveCount(0);
  await expect(page.getByTestId('metric-concurrency')).toHaveAttribute('data-hidden', 'true');
  await page.getByTestId('predict-option-0').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.locator('.predict-first')).toHaveCount(0);
  await expect(page.locator('[data-testid^="calc-"]').first()).toBeVisible();
  await expect(page.getByTestId('metric-concurrency')).not.toHaveAttribute('data-value', '');
});

test('a goal hides the panel that would hand over its answer until it is reached', async ({ page }) => {
  await page.goto('/labs/capacity?step=4');
  await waitForApp(page);
  await expect(page.getByTestId('target-utilization-servers')).toHaveCount(0);
  await expect(page.locator('.predict-first')).toBeVisible();
  await page.getByTestId('input-servers').fill('12');
  await page.getByTestId('input-servers').press('Enter');
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met');
  await expect(page.getByTestId('target-utilization-servers')).toBeVisible();
});
