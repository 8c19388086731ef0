// The rate limiting lab end to end: URL state and hostile input, the fixed window's 2L across a
// boundary against the sliding log's L (deep links with until=), a store synced every second
// letting more than the limit through, a burst and a flood by hand,
// the six algorithms compared on one stream, the lesson (prediction first, a goal reached as the
// text says), axe-core on a phone in both schemes.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric, seriousViolations, at, openSandboxWithQuery, phonePage, expectNoOverflow } from './helpers.mjs';

const METRICS = ['admitted-per-s', 'refused-per-s', 'worst-window', 'over-limit', 'fairness', 'abuser-share',
  'delay-p99-ms', 'retries', 'offered-per-s', 'amplification', 'admitted', 'refused', 'others-refused', 'given-up',
  'queued', 'log-entries'];
const BURSTS = 'burstiness=periodic_bursts&abuser_rps=50';

test('the page loads cleanly with every metric, the timeline, the client table and the charts', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/rate-limiting?mode=sandbox&until=12');
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Rate limiting');
  await at(page, 12);
  for (const name of METRICS) await expect(page.getByTestId(`metric-${name}`)).toBeVisible();
  // The seeds' bucket (100 tokens, 10 a second) per client: the well-behaved clients (5 a second)
  // are never refused; the abuser got its full bucket plus the refill through in its worst 10 s.
  await expect(page.getByTestId('limiter-line')).toContainText('100 tokens, refilled at 10 a second');
  expect(await metric(page, 'others-refused')).toBe(0);
  const worst = await metric(page, 'worst-window');
  expect(worst).toBeGreaterThan(190);
  expect(worst).toBeLessThanOrEqual(200);
  expect(await metric(page, 'refused')).toBeGreaterThan(500);
  await expect(page.getByTestId('rl-timeline').locator('svg')).toBeVisible();
  await expect(page.getByTestId('rl-timeline').locator('.rl-row-bg')).toHaveCount(5);
  await expect(page.getByTestId('rl-timeline').locator('.rl-strip-bg')).toHaveCount(5);
  await expect(page.getByTestId('timeline-caption')).toContainText('tokens left');
  await expect(page.getByTestId('client-row')).toHaveCount(5);
  await expect(page.getByTestId('client-row').last()).toContainText('refused (429)');
  for (const chart of ['chart-admitted', 'chart-traffic', 'chart-worst-window']) {
    await expect(page.getByTestId(chart).locator('svg')).toBeVisible();
  }
  expect(await page.locator('.lab-main').innerText()).not.toMatch(/\bNaN\b|\binf(inity)?\b/i);
  expect(await seriousViolations(page)).toEqual([]);
  errors.check();
});

test('URL parameters apply, hostile ones fall back with a notice, and the URL follows changes', async ({ page }) => {
  const query = 'algorithm=gcra&limit=50&window_s=5&burst=20&rate_per_s=4&queue=30&scope=global&instances=2'
    + '&sync=shared&store_ms=5&clients=6&client_rps=3&abuser_rps=200&burstiness=flood&retry=backoff';
  await openSandboxWithQuery(page, 'rate-limiting', query, 9, {
    algorithm: 'gcra', limit: '50', window_s: '5', scope: 'global', sync: 'shared', clients: '6', retry: 'backoff',
  });
  await expect(page.getByTestId('limiter-line')).toContainText('GCRA');
  await page.getByTestId('input-algorithm').selectOption('sliding_log');
  await expect(page).toHaveURL(/algorithm=sliding_log/);
  await expect(page.getByTestId('action-message')).toContainText('limiter restarted');
  await page.getByTestId('input-limit').fill('80');
  await page.getByTestId('input-limit').press('Enter');
  await expect(page).toHaveURL(/limit=80(&|$)/);
  // A value the core refuses shows a message and changes nothing.
  for (const bad of ['0', 'lots', '1e9']) {
    await page.getByTestId('input-limit').fill(bad);
    await page.getByTestId('input-limit').press('Enter');
    await expect(page.getByTestId('error-limit')).not.toBeEmpty();
  }
  await expect(page).toHaveURL(/limit=80(&|$)/);

  const errors = watchErrors(page);
  await page.goto('/labs/rate-limiting?mode=sandbox&algorithm=%3Cscript%3E&limit=0&window_s=NaN&clients=1e99'
    + '&sync=evil&rate_per_s=-1&instances=99&retry=sometimes&seed=x&until=-3&bogus=1');
  await waitForApp(page);
  const notice = page.getByTestId('url-notice');
  for (const key of ['algorithm', 'limit', 'window_s', 'clients', 'sync', 'rate_per_s', 'instances', 'retry', 'seed',
    'until', 'bogus']) {
    await expect(notice).toContainText(key);
  }
  await expect(page.getByTestId('input-algorithm')).toHaveValue('token_bucket');
  await expect(page.getByTestId('input-limit')).toHaveValue('100');
  await expect(page.getByTestId('input-clients')).toHaveValue('5');
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  await page.getByTestId('play').click();
  expect(await page.locator('.lab-main').innerText()).not.toMatch(/\bNaN\b|\binf(inity)?\b/i);
  errors.check();
});

test('a fixed window admits twice the limit across a boundary; a sliding log never more than the limit', async ({ page }) => {
  const errors = watchErrors(page);
  // 500 requests per window from the abuser, half just before the boundary at 10 s, half after.
  await page.goto(`/labs/rate-limiting?mode=sandbox&algorithm=fixed_window&${BURSTS}&until=15`);
  await waitForApp(page);
  await at(page, 15);
  expect(await metric(page, 'worst-window')).toBe(200);
  expect(await metric(page, 'over-limit')).toBe(2);
  await expect(page.getByTestId('rl-timeline').locator('.rl-boundary')).toHaveCount(1);

  await page.goto(`/labs/rate-limiting?mode=sandbox&algorithm=sliding_log&${BURSTS}&until=35`);
  await waitForApp(page);
  await at(page, 35);
  expect(await metric(page, 'worst-window')).toBe(100);
  expect(await metric(page, 'over-limit')).toBe(1);
  // The log keeps a timestamp per admission of the last window: about 100 per client here.
  expect(await metric(page, 'log-entries')).toBeGreaterThan(150);
  expect(await metric(page, 'log-entries')).toBeLessThanOrEqual(500);
  errors.check();
});

test('a store synced every second lets more than the limit through; an exact store does not', async ({ page }) => {
  const errors = watchErrors(page);
  const link = (syncMs) => '/labs/rate-limiting?mode=sandbox&algorithm=sliding_log&scope=global&instances=3'
    + `&sync=shared&sync_ms=${syncMs}&abuser_rps=1000&burstiness=flood&until=15`;
  await page.goto(link(1000));
  await waitForApp(page);
  await at(page, 15);
  await expect(page.getByTestId('limiter-line')).toContainText('sharing one store, synced every 1,000 ms');
  expect(await metric(page, 'over-limit')).toBeGreaterThan(1);
  await page.goto(link(0));
  await waitForApp(page);
  await at(page, 15);
  expect(await metric(page, 'over-limit')).toBeLessThanOrEqual(1);
  await page.goto('/labs/rate-limiting?mode=sandbox&sync=shared&sync_ms=NaN');
  await waitForApp(page);
  await expect(page.getByTestId('url-notice')).toContainText('sync_ms');
  await expect(page.getByTestId('input-sync_ms')).toHaveValue('0');
  errors.check();
});

test('burst now and flood now change the numbers, and say what they did', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/rate-limiting?mode=sandbox&until=5');
  await waitForApp(page);
  await at(page, 5);
  const admitted = await metric(page, 'admitted');
  const refused = await metric(page, 'refused');
  await expect(page.getByTestId('burst-now')).toContainText('200');
  await page.getByTestId('burst-now').click();
  // Client 1's bucket is full (it sends 5 a second, the refill is 10): about 100 pass, the rest are refused.
  await expect(page.getByTestId('action-message')).toContainText(/Client 1 sent 200 requests at once: (99|100) admitted/);
  await expect.poll(() => metric(page, 'admitted')).toBeGreaterThanOrEqual(admitted + 99);
  expect(await metric(page, 'refused')).toBeGreaterThanOrEqual(refused + 99);
  expect(await metric(page, 'others-refused')).toBeGreaterThanOrEqual(99);
  await expect(page.getByTestId('event-log')).toContainText('Client 1 sent 200 requests at once');

  await page.getByTestId('flood-now').click();
  await expect(page.getByTestId('action-message')).toContainText('floods at 1,000 requests a second');
  for (let i = 0; i < 4; i++) await page.getByTestId('step').click();
  await at(page, 6);
  expect(await metric(page, 'offered-per-s')).toBeGreaterThan(800);
  expect(await metric(page, 'refused-per-s')).toBeGreaterThan(700);
  await page.getByTestId('reset-stats').click();
  await expect(page.getByTestId('metric-admitted')).toHaveAttribute('data-value', '0');
  errors.check();
});

test('compare: the six algorithms on one stream, each with its worst window', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/labs/rate-limiting?mode=sandbox&${BURSTS}`);
  await waitForApp(page);
  await page.getByTestId('compare-seconds').selectOption('30');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-row')).toHaveCount(6, { timeout: 60_000 });
  const worst = (algorithm) => page.locator(`[data-testid="compare-row"][data-algorithm="${algorithm}"] [data-testid="compare-worst"]`);
  await expect(worst('fixed_window')).toHaveAttribute('data-value', '200');
  await expect(worst('sliding_log')).toHaveAttribute('data-value', '100');
  expect(Number(await worst('leaky_bucket').getAttribute('data-value'))).toBeLessThanOrEqual(101);
  // A token bucket never lets more than b + r x W = 200 through in a window (here the bursts
  // find it half refilled: about 100).
  const bucket = Number(await worst('token_bucket').getAttribute('data-value'));
  expect(bucket).toBeGreaterThanOrEqual(100);
  expect(bucket).toBeLessThanOrEqual(200);
  // Every algorithm saw the same requests: the leaky bucket delays, the others answer at once.
  const p99 = await page.getByTestId('compare-p99').evaluateAll((els) => els.map((e) => Number(e.dataset.value || 0)));
  expect(Math.max(...p99)).toBeGreaterThan(1000);
  await expect(page.getByTestId('compare-setup')).toContainText('30 simulated seconds');
  await expect(page.getByTestId('chart-compare').locator('svg')).toBeVisible();
  errors.check();
});

test('the lesson asks before it runs, and the per-client goal is reached as the text says', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/rate-limiting?step=3');
  await waitForApp(page);
  // Nothing the question asks about is on screen before the answer.
  for (const name of ['worst-window', 'over-limit']) {
    await expect(page.getByTestId(`metric-${name}`)).toHaveAttribute('data-hidden', 'true');
  }
  await page.getByTestId('predict-option-1').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Right');
  await expect(page.getByTestId('metric-worst-window')).not.toHaveAttribute('data-hidden', 'true');
  await at(page, 30);
  expect(await metric(page, 'worst-window')).toBe(200);

  await page.goto('/labs/rate-limiting?step=6');
  await waitForApp(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  // The step's run first: one bucket for everyone, the abuser takes most of it; still unmet.
  await page.getByTestId('lesson-run').click();
  await at(page, 30);
  expect(await metric(page, 'abuser-share')).toBeGreaterThan(0.8);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  // Then as the text says: a limit per client, and Play.
  await page.getByTestId('input-scope').selectOption('client');
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 30_000 });
  errors.check();
});

test('a million requests a second run in slices without freezing the page', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/labs/rate-limiting?mode=sandbox&abuser_rps=1000000&until=3');
  await waitForApp(page);
  await expect(page.getByTestId('fast-forward')).toBeVisible();
  // The page stays responsive while it runs: a click is handled at once.
  await page.getByTestId('mode-lesson').click();
  await expect(page.getByTestId('mode-lesson')).toHaveAttribute('aria-pressed', 'true', { timeout: 2_000 });
  await page.getByTestId('mode-sandbox').click();
  await at(page, 3, 100_000);
  expect(await metric(page, 'offered-per-s')).toBeGreaterThan(900_000);
  expect(await metric(page, 'admitted-per-s')).toBeLessThan(100);
  errors.check();
});

for (const scheme of ['dark', 'light']) {
  test(`the rate limiting lab passes axe-core in ${scheme} mode on a phone, without overflow`, async ({ browser }) => {
    const page = await phonePage(browser, scheme);
    const errors = watchErrors(page);
    await page.goto('/labs/rate-limiting?mode=sandbox&algorithm=sliding_window&until=3');
    await waitForApp(page);
    await at(page, 3);
    await page.getByTestId('burst-now').click();
    await page.locator('details.model summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoOverflow(page);
    errors.check();
    await page.close();
  });
}
