// The autoscaling lab end to end: URL state and hostile input, a day of traffic in seconds, the
// HPA's formula in the decision log, the spike and kill buttons, compare, the lesson (prediction
// first, a goal reached as the hint says), axe-core on a phone in both schemes.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric, seriousViolations, at, openSandboxWithQuery, phonePage, expectNoOverflow } from './helpers.mjs';

const METRICS = ['replicas', 'ready-replicas', 'desired-replicas', 'utilization', 'p99-ms', 'error-rate', 'cost',
  'slo-violation-s', 'scale-events', 'cold-starts'];

test('the page loads cleanly with every metric and the charts; a steady load settles at the target', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/autoscaling?mode=sandbox&traffic=steady&base_rps=630&noise=0&until=3600');
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Autoscaling');
  await at(page, 3600);
  for (const name of METRICS) await expect(page.getByTestId(`metric-${name}`)).toBeVisible();
  // 630 requests a second at 100 each and a 70% target: 9 instances at 70%.
  expect(await metric(page, 'replicas')).toBe(9);
  expect(Math.abs(await metric(page, 'utilization') - 70)).toBeLessThan(1);
  await expect(page.getByTestId('decision-log')).toContainText('ceil(9 \u00d7 0.70 / 0.70) = 9');
  for (const chart of ['chart-traffic', 'chart-replicas', 'chart-p99', 'chart-utilization', 'chart-cost']) {
    await expect(page.getByTestId(chart).locator('svg')).toBeVisible();
  }
  expect(await seriousViolations(page)).toEqual([]);
  errors.check();
});

test('URL parameters apply, hostile ones fall back with a notice, and the URL follows changes', async ({ page }) => {
  const query = 'autoscaler=step&traffic=spike&base_rps=300&peak_rps=1500&spike_at_s=600&spike_s=300'
    + '&instance_rps=50&startup_s=30&target=60&metric=rps&tolerance=0.2&min_replicas=2&max_replicas=40'
    + '&up_pods=2&up_percent=50&down_percent=20&period_s=30&up_window_s=10&down_window_s=120&cooldown_s=60'
    + '&cost_per_hour=0.2&slo_ms=300&noise=0.1';
  await openSandboxWithQuery(page, 'autoscaling', query, 9, { autoscaler: 'step', traffic: 'spike', metric: 'rps' });
  await page.getByTestId('input-autoscaler').selectOption('serverless');
  await expect(page).toHaveURL(/autoscaler=serverless/);

  const errors = watchErrors(page);
  await page.goto('/labs/autoscaling?mode=sandbox&autoscaler=%3Cscript%3E&base_rps=NaN&max_replicas=1e99'
    + '&tolerance=-1&traffic=evil&seed=x&until=-3&bogus=1');
  await waitForApp(page);
  const notice = page.getByTestId('url-notice');
  for (const key of ['autoscaler', 'base_rps', 'max_replicas', 'tolerance', 'traffic', 'seed', 'until', 'bogus']) {
    await expect(notice).toContainText(key);
  }
  await expect(page.getByTestId('input-autoscaler')).toHaveValue('hpa');
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  await page.getByTestId('play').click();
  expect(await page.locator('.lab-main').innerText()).not.toMatch(/\bNaN\b|\binf(inity)?\b/i);
  errors.check();
});

test('a spike now and a killed instance change the run, and the autoscaler answers', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/autoscaling?mode=sandbox&traffic=steady&base_rps=300&noise=0&until=600');
  await waitForApp(page);
  await at(page, 600);
  const before = await metric(page, 'ready-replicas');
  await page.getByTestId('kill-instance').click();
  await expect(page.getByTestId('action-message')).toContainText('an instance died');
  expect(await metric(page, 'ready-replicas')).toBe(before - 1);
  await page.getByTestId('spike-now').click();
  await expect(page.getByTestId('action-message')).toContainText('a spike to 1,000 requests a second');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('metric-replicas')).not.toHaveAttribute('data-value', String(before), { timeout: 20_000 });
  await page.getByTestId('play').click();
  expect(await metric(page, 'scale-events')).toBeGreaterThan(0);
  errors.check();
});

test('compare: the HPA against a fixed fleet on the same traffic', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/autoscaling?mode=sandbox');
  await waitForApp(page);
  await page.getByTestId('compare-seconds').selectOption('86400');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-row')).toHaveCount(2, { timeout: 60_000 });
  const slo = await page.getByTestId('compare-slo').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
  const events = await page.getByTestId('compare-events').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
  // The HPA follows the day; three fixed instances fail most of it and never scale.
  expect(slo[0]).toBe(0);
  expect(slo[1]).toBeGreaterThan(3600);
  expect(events[1]).toBe(0);
  errors.check();
});

test('the lesson asks before it runs, and the goal is reached as the hint says', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('/labs/autoscaling?step=1');
  await waitForApp(page);
  await expect(page.getByTestId('metric-slo-violation-s')).toHaveAttribute('data-hidden', 'true');
  await page.getByTestId('predict-option-0').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Not quite');
  await at(page, 86400, 60_000);
  expect(Math.abs(await metric(page, 'slo-violation-s') - 38543)).toBeLessThan(200);

  await page.goto('/labs/autoscaling?step=2');
  await waitForApp(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await page.getByTestId('input-autoscaler').selectOption('hpa');
  await page.getByTestId('input-min_replicas').fill('3');
  await page.getByTestId('input-min_replicas').press('Enter');
  await page.getByTestId('speed').selectOption('14400');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 60_000 });
  errors.check();
});

test('scaling on CPU misses an I/O-bound queue; scaling on requests per instance keeps up', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('/labs/autoscaling?step=6');
  await waitForApp(page);
  for (const hidden of ['replicas', 'error-rate', 'slo-violation-s']) {
    await expect(page.getByTestId(`metric-${hidden}`)).toHaveAttribute('data-hidden', 'true');
  }
  await page.getByTestId('predict-option-1').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Not quite');
  await at(page, 3600, 60_000);
  // Full instances whose CPU reads 25%: the HPA never adds one.
  expect(await metric(page, 'busy')).toBe(100);
  expect(await metric(page, 'utilization')).toBe(25);
  expect(await metric(page, 'replicas')).toBe(3);
  expect(await metric(page, 'slo-violation-s')).toBe(2884);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  // The hint, followed literally.
  await page.getByTestId('input-metric').selectOption('rps');
  await page.getByTestId('input-target').fill('70');
  await page.getByTestId('input-target').press('Enter');
  await page.getByTestId('reset').click();
  await page.getByTestId('speed').selectOption('14400');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 60_000 });
  expect(await metric(page, 'replicas')).toBeGreaterThan(10);
  errors.check();
});

for (const scheme of ['dark', 'light']) {
  test(`the autoscaling lab passes axe-core in ${scheme} mode on a phone, without overflow`, async ({ browser }) => {
    const page = await phonePage(browser, scheme);
    const errors = watchErrors(page);
    await page.goto('/labs/autoscaling?mode=sandbox&until=3600');
    await waitForApp(page);
    await at(page, 3600);
    await page.getByTestId('spike-now').click();
    await page.locator('details.model summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoOverflow(page);
    errors.check();
    await page.close();
  });
}
