// The queues lab end to end: the seeds' 2,100 ms against 105 ms from a deep link, URL state and
// hostile input, every fault button (also pressed while the lab is busy), poison messages and the
// dead-letter queue, compare sync against async on one seed, the lesson (prediction first, a goal
// reached as the text says), 100,000 messages a second without freezing, axe-core on a phone in
// both schemes.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric, seriousViolations, at, openSandboxWithQuery, phonePage, expectNoOverflow } from './helpers.mjs';

const METRICS = ['response-p99-ms', 'completion-p99-ms', 'backlog', 'lag-s', 'throughput', 'idle-consumers',
  'duplicates', 'dlq', 'redeliveries', 'out-of-order', 'stale-reads', 'refused'];

test('a deep link reproduces the seeds: 2,100 ms inline, 105 ms queued, with every metric and view', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/queues?mode=sandbox&delivery=sync&until=10');
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Queues');
  await at(page, 10);
  for (const name of METRICS) await expect(page.getByTestId(`metric-${name}`)).toBeVisible();
  expect(await metric(page, 'response-p99-ms')).toBe(2100);
  await page.goto('/labs/queues?mode=sandbox&delivery=async&until=10');
  await waitForApp(page);
  await at(page, 10);
  expect(await metric(page, 'response-p99-ms')).toBe(105);
  expect(await metric(page, 'completion-p99-ms')).toBeGreaterThan(2100);
  await expect(page.getByTestId('broker').locator('.q-lane')).toHaveCount(4);
  await expect(page.getByTestId('broker').locator('.q-consumer-box')).toHaveCount(4);
  for (const chart of ['chart-backlog', 'chart-rates', 'chart-lag', 'chart-latency']) {
    await expect(page.getByTestId(chart).locator('svg')).toBeVisible();
  }
  await expect(page.getByTestId('key-order')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  errors.check();
});

test('URL parameters apply and reproduce the run; hostile ones fall back with a notice', async ({ page }) => {
  const query = 'delivery=async&rate=20&fast_ms=100&slow_ms=2000&partitions=4&consumers=1&concurrency=16&groups=1'
    + '&visibility_s=30&failure_rate=0&poison_rate=0&backoff=fixed&max_receives=5&idempotent=1&max_backlog=0'
    + '&on_full=block&projection_lag_ms=500&keys=100';
  await openSandboxWithQuery(page, 'queues', `${query}&shape=daily&processing=exponential`, 1,
    { consumers: '1', backoff: 'fixed', on_full: 'block', idempotent: '1', shape: 'daily', processing: 'exponential' });
  // One consumer: 8 a second against 20 arriving; the backlog grows 12 a second.
  await page.goto(`/labs/queues?${query}&seed=1&mode=sandbox&until=30`);
  await waitForApp(page);
  await at(page, 30);
  const backlog = await metric(page, 'backlog');
  expect(Math.abs(backlog - 360)).toBeLessThan(60);
  // The same link again gives the same run.
  await page.goto(`/labs/queues?${query}&seed=1&mode=sandbox&until=30`);
  await waitForApp(page);
  await at(page, 30);
  expect(await metric(page, 'backlog')).toBe(backlog);
  await page.getByTestId('input-backoff').selectOption('exponential');
  await expect(page).toHaveURL(/backoff=exponential(&|$)/);

  const errors = watchErrors(page);
  await page.goto('/labs/queues?mode=sandbox&delivery=%3Cscript%3E&rate=NaN&partitions=1e99&consumers=-1'
    + '&idempotent=true&backoff=evil&seed=x&until=-3&bogus=1');
  await waitForApp(page);
  const notice = page.getByTestId('url-notice');
  for (const key of ['delivery', 'rate', 'partitions', 'consumers', 'idempotent', 'backoff', 'seed', 'until', 'bogus']) {
    await expect(notice).toContainText(key);
  }
  await expect(page.getByTestId('input-delivery')).toHaveValue('async');
  await expect(page.getByTestId('input-partitions')).toHaveValue('4');
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  await page.getByTestId('play').click();
  expect(await page.locator('.lab-main').innerText()).not.toMatch(/\bNaN\b|\binf(inity)?\b|<script>/i);
  errors.check();
});

test('crash, stop, start, burst, add and remove each act and say what they did', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/queues?mode=sandbox&until=10');
  await waitForApp(page);
  await at(page, 10);
  await page.getByTestId('crash-consumer').click();
  await expect(page.getByTestId('action-message')).toContainText('crashed');
  await expect(page.getByTestId('broker').locator('.q-consumer.crashed')).toHaveCount(1);
  await page.getByTestId('stop-consumers').click();
  await expect(page.getByTestId('action-message')).toContainText('stopped');
  for (let i = 0; i < 4; i++) await page.getByTestId('step').click();
  await at(page, 12);
  // Stopped: nothing leaves, so two seconds of arrivals (about 40) wait.
  expect(await metric(page, 'backlog')).toBeGreaterThan(20);
  await page.getByTestId('start-consumers').click();
  await expect(page.getByTestId('action-message')).toContainText('take messages again');
  await page.getByTestId('burst').click();
  await expect(page.getByTestId('action-message')).toContainText('10 times the traffic');
  await page.getByTestId('add-consumer').click();
  await expect(page.getByTestId('action-message')).toContainText('5 consumers per group');
  await expect(page.getByTestId('broker').locator('.q-consumer-box')).toHaveCount(5);
  await expect(page.getByTestId('metric-idle-consumers')).toHaveAttribute('data-value', '1');
  await page.getByTestId('remove-consumer').click();
  await page.getByTestId('remove-consumer').click();
  await expect(page.getByTestId('action-message')).toContainText('3 consumers per group');
  await expect(page.getByTestId('input-consumers')).toHaveValue('3');
  await expect(page.getByTestId('event-log')).toContainText('rebalancing to 3 consumers');
  errors.check();
});

test('buttons pressed while the lab fast-forwards are applied after it, in order', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/queues?mode=sandbox&rate=2000&slow_ms=50&until=40');
  await waitForApp(page);
  await expect(page.getByTestId('fast-forward')).toBeVisible();
  await page.getByTestId('stop-consumers').click();
  await page.getByTestId('add-consumer').click();
  await at(page, 40, 60_000);
  await expect(page.getByTestId('action-message')).toContainText('5 consumers per group');
  await expect(page.getByTestId('event-log')).toContainText('consumers stopped');
  await expect(page.getByTestId('input-consumers')).toHaveValue('5');
  errors.check();
});

test('poison messages reach the dead-letter queue after max receives; redrive sends them back', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/queues?mode=sandbox&backoff=none&until=5');
  await waitForApp(page);
  await at(page, 5);
  await page.getByTestId('poison').click();
  await expect(page.getByTestId('action-message')).toContainText('10 poison messages published');
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('metric-dlq')).toHaveAttribute('data-value', '10', { timeout: 30_000 });
  await page.getByTestId('play').click();
  expect(await metric(page, 'redeliveries')).toBe(30);
  await expect(page.getByTestId('dlq-list')).toContainText('(poison)');
  await page.getByTestId('redrive-dlq').click();
  await expect(page.getByTestId('action-message')).toContainText('10 messages moved');
  await expect(page.getByTestId('metric-dlq')).toHaveAttribute('data-value', '0');
  errors.check();
});

test('compare: inline against queued, and two consumer counts, on one seed', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/queues?mode=sandbox');
  await waitForApp(page);
  await page.getByTestId('compare-seconds').selectOption('30');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-row')).toHaveCount(2, { timeout: 60_000 });
  const response = await page.getByTestId('compare-response').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
  expect(response).toEqual([2100, 105]);
  await expect(page.getByTestId('chart-compare').locator('svg')).toBeVisible();

  await page.getByTestId('compare-mode').selectOption('variant');
  await page.getByTestId('compare-value').fill('NaN');
  await page.getByTestId('compare-value').press('Tab');
  await page.getByTestId('compare-run').click();
  await expect(page.locator('[data-testid="compare-panel"] .param-error')).toContainText('consumers');
  await page.getByTestId('compare-value').fill('1');
  await page.getByTestId('compare-value').press('Tab');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-row')).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId('compare-row').nth(1)).toContainText('consumers = 1');
  const peak = await page.getByTestId('compare-peak').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
  expect(peak[1]).toBeGreaterThan(peak[0] * 10);
  errors.check();
});

test('the lesson asks before it runs, and the idempotency goal is reached as the text says', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/queues?step=1');
  await waitForApp(page);
  // Nothing the question asks about is on screen before the answer.
  for (const name of ['response-p99-ms', 'completion-p99-ms']) {
    await expect(page.getByTestId(`metric-${name}`)).toHaveAttribute('data-hidden', 'true');
  }
  await page.getByTestId('predict-option-0').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Not quite');
  await expect(page.getByTestId('metric-response-p99-ms')).not.toHaveAttribute('data-hidden', 'true');
  await at(page, 30);
  expect(await metric(page, 'response-p99-ms')).toBe(2100);

  await page.goto('/labs/queues?step=8');
  await waitForApp(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  // The step's run first: duplicates, and the goal stays unmet.
  await page.getByTestId('lesson-run').click();
  await at(page, 30);
  expect(await metric(page, 'duplicates')).toBeGreaterThan(50);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  // Then as the text says: idempotent consumers, and Play.
  await page.getByTestId('input-idempotent').selectOption('1');
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 30_000 });
  errors.check();
});

test('100,000 messages a second run in slices without freezing the page', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/labs/queues?mode=sandbox&rate=100000&slow_ms=10&partitions=32&consumers=32&concurrency=100&until=3');
  await waitForApp(page);
  await expect(page.getByTestId('fast-forward')).toBeVisible();
  // The page stays responsive while it runs: a click is handled at once.
  await page.getByTestId('mode-lesson').click();
  await expect(page.getByTestId('mode-lesson')).toHaveAttribute('aria-pressed', 'true', { timeout: 2_000 });
  await page.getByTestId('mode-sandbox').click();
  await at(page, 3, 100_000);
  expect(Math.abs(await metric(page, 'throughput') - 100_000)).toBeLessThan(5_000);
  await expect(page.getByTestId('broker')).toContainText('more partitions');
  errors.check();
});

for (const scheme of ['dark', 'light']) {
  test(`the queues lab passes axe-core in ${scheme} mode on a phone, without overflow`, async ({ browser }) => {
    const page = await phonePage(browser, scheme);
    const errors = watchErrors(page);
    await page.goto('/labs/queues?mode=sandbox&groups=2&until=5');
    await waitForApp(page);
    await at(page, 5);
    await page.getByTestId('crash-consumer').click();
    await page.getByTestId('poison').click();
    await page.locator('details.model summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoOverflow(page);
    errors.check();
    await page.close();
  });
}
