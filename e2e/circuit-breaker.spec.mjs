// The circuit breaker lab end to end: the send buttons drive the state machine as REFERENCES.md
// says, scripts replay exactly, URL state and hostile input, the cascade with and without a
// breaker, compare, until, the lesson by keyboard, axe-core and phone widths.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric, seriousViolations, at, openSandboxWithQuery, phonePage, expectNoOverflow } from './helpers.mjs';

const METRICS = ['failure-rate', 'slow-call-rate', 'consecutive-failures', 'window-calls', 'rejected', 'transitions',
  'caller-success-ratio', 'outage-success-ratio', 'pool-peak', 'outage-pool-usage', 'pool-full', 'latency-p99-ms',
  'requests', 'outage-requests'];

/** Expects the breaker to be in `state` (the data-value of metric-state). */
async function state(page, name) {
  await expect(page.getByTestId('metric-state')).toHaveAttribute('data-value', name);
}

/** Clicks the send buttons for a script of S, F, L letters. */
async function send(page, script) {
  const ids = { S: 'send-success', F: 'send-failure', L: 'send-slow' };
  for (const letter of script) await page.getByTestId(ids[letter]).click();
}

/** The transition log's text, newest first. */
async function log(page) {
  return page.getByTestId('transition-log').locator('li').allInnerTexts();
}

test('the page loads cleanly with every metric, the state machine and the charts', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/circuit-breaker?mode=sandbox&until=12');
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Circuit breaker');
  await at(page, 12);
  for (const name of METRICS) await expect(page.getByTestId(`metric-${name}`)).toBeVisible();
  // Defaults: consecutive, 5 failures; the outage started at 10 s and the breaker opened about a
  // second in, when the first hung calls timed out.
  await state(page, 'open');
  await expect(page.getByTestId('state-node-open')).toHaveAttribute('data-lit', 'true');
  await expect(page.getByTestId('state-node-closed')).toHaveAttribute('data-lit', 'false');
  await expect(page.getByTestId('last-transition')).toHaveAttribute('data-value', 'closed-open');
  await expect(page.getByTestId('metric-failure-rate')).toHaveAttribute('data-value', '-1');
  await expect(page.getByTestId('metric-failure-rate')).toHaveText('n/a');
  await expect(page.getByTestId('phase')).toContainText('DOWN');
  for (const chart of ['chart-calls', 'chart-pool', 'chart-latency']) {
    await expect(page.getByTestId(chart).locator('svg')).toBeVisible();
  }
  await expect(page.getByTestId('state-timeline').locator('rect[data-state="open"]')).not.toHaveCount(0);
  await page.locator('details.model summary').click();
  await expect(page.getByTestId('model-panel')).toContainText('resilience4j');
  expect(await seriousViolations(page)).toEqual([]);
  errors.check();
});

test('consecutive: the N-th failure in a row opens it, not before, and a success resets the count', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/circuit-breaker?mode=sandbox&policy=consecutive&failure_threshold=3&wait_ms=250&rate=0');
  await waitForApp(page);
  await send(page, 'FF');
  await state(page, 'closed');
  await expect(page.getByTestId('metric-consecutive-failures')).toHaveAttribute('data-value', '2');
  await send(page, 'S');
  await expect(page.getByTestId('metric-consecutive-failures')).toHaveAttribute('data-value', '0');
  await send(page, 'FF');
  await state(page, 'closed');
  await send(page, 'F');
  await state(page, 'open');
  await expect(page.getByTestId('send-message')).toContainText('3 failures in a row (threshold 3)');
  await expect(page.getByTestId('metric-transitions')).toHaveAttribute('data-value', '1');
  await expect(page.getByTestId('window-strip').locator('li')).toHaveCount(6);
  // Open: calls are rejected at once.
  await send(page, 'SS');
  await expect(page.getByTestId('metric-rejected')).toHaveAttribute('data-value', '2');
  await expect(page.getByTestId('send-message')).toContainText('rejected, the breaker is OPEN');
  // After the wait (one 0.25 s step) it is half-open: one trial; a failure reopens it.
  await page.getByTestId('step').click();
  await state(page, 'half_open');
  await expect(page.getByTestId('last-transition')).toHaveAttribute('data-value', 'open-half_open');
  await send(page, 'F');
  await state(page, 'open');
  await page.getByTestId('step').click();
  await send(page, 'S');
  await state(page, 'closed');
  expect(await log(page)).toEqual([
    expect.stringContaining('HALF_OPEN → CLOSED: the trial call succeeded'),
    expect.stringContaining('OPEN → HALF_OPEN'),
    expect.stringContaining('HALF_OPEN → OPEN: the trial call failed'),
    expect.stringContaining('OPEN → HALF_OPEN'),
    expect.stringContaining('CLOSED → OPEN: 3 failures in a row'),
  ]);
  // By hand: forced open rejects, disabled lets through, reset goes home.
  await page.getByTestId('force-open').click();
  await state(page, 'forced_open');
  await send(page, 'S');
  await expect(page.getByTestId('metric-rejected')).toHaveAttribute('data-value', '3');
  await page.getByTestId('disable').click();
  await state(page, 'disabled');
  await send(page, 'FFFFF');
  await state(page, 'disabled');
  await page.getByTestId('reset-breaker').click();
  await state(page, 'closed');
  errors.check();
});

test('count window: 10 calls with a minimum of 100 decide at the 10th, half-open permits K trials', async ({ page }) => {
  await page.goto('/labs/circuit-breaker?mode=sandbox&policy=count_window&window=10&min_calls=100&failure_rate=50'
    + '&half_open_calls=3&wait_ms=250&rate=0');
  await waitForApp(page);
  await send(page, 'SFSFSFSFS');
  await state(page, 'closed');
  // Below the minimum (capped at the window, 10): no rate yet, -1 in the data.
  await expect(page.getByTestId('metric-failure-rate')).toHaveAttribute('data-value', '-1');
  await expect(page.getByTestId('metric-failure-rate')).toHaveText('— (9/10)');
  await send(page, 'F');
  await state(page, 'open');
  await expect(page.getByTestId('metric-failure-rate')).toHaveAttribute('data-value', '50');
  await expect(page.getByTestId('transition-log')).toContainText('failure rate 50% >= 50% over 10 calls');
  // Half-open: exactly 3 trial calls, judged on their failure rate (1 of 3 < 50%: closed).
  await page.getByTestId('step').click();
  await state(page, 'half_open');
  await send(page, 'SF');
  await state(page, 'half_open');
  await expect(page.getByTestId('state-node-half_open')).toContainText('trials: 2 of 3');
  await send(page, 'S');
  await state(page, 'closed');
  await expect(page.getByTestId('transition-log')).toContainText('failure rate 33.3% < 50%');
  // A slow call is classified slow (strictly above the threshold).
  await send(page, 'L');
  await expect(page.getByTestId('window-strip').locator('li').last()).toHaveAttribute('data-kind', 'slow');
});

test('resilience4j defaults: 50 failures of 100 open, 49 do not (scripted)', async ({ page }) => {
  const script = (failures) => 'F'.repeat(failures) + 'S'.repeat(100 - failures);
  await page.goto(`/labs/circuit-breaker?mode=sandbox&policy=count_window&outcomes=${script(49)}&gap_ms=10&until=2`);
  await waitForApp(page);
  await at(page, 2);
  await state(page, 'closed');
  await expect(page.getByTestId('metric-failure-rate')).toHaveAttribute('data-value', '49');
  await page.goto(`/labs/circuit-breaker?mode=sandbox&policy=count_window&outcomes=${script(50)}&gap_ms=10&until=0.995`);
  await waitForApp(page);
  await at(page, 0.995);
  await expect(page.getByTestId('transition-log')).toContainText('0.990 s CLOSED → OPEN: failure rate 50% >= 50% over 100 calls');
});

test('a scripted outcomes URL replays to the same transitions every time', async ({ page }) => {
  const errors = watchErrors(page);
  const url = '/labs/circuit-breaker?mode=sandbox&outcomes=FFFFFSSSSSSF&until=20';
  const expected = [
    '9.000 s HALF_OPEN → CLOSED: the trial call succeeded',
    '9.000 s OPEN → HALF_OPEN: waited 5 s in OPEN: 1 trial call permitted',
    '4.000 s CLOSED → OPEN: 5 failures in a row (threshold 5)',
  ];
  await page.goto(url);
  await waitForApp(page);
  await at(page, 20);
  expect(await log(page)).toEqual(expected);
  await expect(page.getByTestId('metric-rejected')).toHaveAttribute('data-value', '4');
  await expect(page.getByTestId('script-status')).toContainText('12 of 12 calls played');
  await expect(page).toHaveURL(/outcomes=FFFFFSSSSSSF/);
  // Reset replays from 0; stepping call by call gets to the same place.
  await page.getByTestId('reset').click();
  await expect(page.getByTestId('sim-time')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('transition-log')).toHaveCount(0);
  for (let i = 0; i < 12; i++) await page.getByTestId('step').click();
  expect(await log(page)).toEqual(expected);
  // A reload of the same link, and the script typed into its field, give the same run.
  await page.goto(url);
  await waitForApp(page);
  await at(page, 20);
  expect(await log(page)).toEqual(expected);
  await page.goto('/labs/circuit-breaker?mode=sandbox');
  await waitForApp(page);
  await page.locator('summary', { hasText: 'Scripted calls' }).click();
  await page.getByTestId('input-outcomes').fill('FFFFFSSSSSSF');
  await page.getByTestId('input-outcomes').press('Enter');
  await expect(page).toHaveURL(/outcomes=FFFFFSSSSSSF/);
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('metric-transitions')).toHaveAttribute('data-value', '3', { timeout: 20_000 });
  await page.getByTestId('play').click();
  expect(await log(page)).toEqual(expected);
  errors.check();
});

test('URL parameters apply, and the URL follows every change', async ({ page }) => {
  const query = 'policy=time_window&failure_threshold=7&failure_rate=40&window=20&min_calls=15&wait_ms=3000'
    + '&half_open_calls=4&slow_ms=300&slow_rate=80&gap_ms=500&dep_failure=0.5&dep_latency_ms=200'
    + '&outage_start_s=5&outage_end_s=25&timeout_ms=800&pool=30&rate=50&fallback=false';
  await openSandboxWithQuery(page, 'circuit-breaker', query, 7, {
    policy: 'time_window', window: '20', dep_failure: '0.5',
  });
  await expect(page.getByTestId('input-fallback')).not.toBeChecked();
  await expect(page).toHaveURL(/seed=7&step=\d+&mode=sandbox/);
  await expect(page).not.toHaveURL(/outcomes=/);
  await page.getByTestId('input-pool').fill('12');
  await page.getByTestId('input-pool').press('Enter');
  await expect(page).toHaveURL(/pool=12(&|$)/);
  await page.getByTestId('input-policy').selectOption('count_window');
  await expect(page).toHaveURL(/policy=count_window/);
  await page.getByTestId('seed').fill('9');
  await page.getByTestId('seed').press('Enter');
  await expect(page).toHaveURL(/seed=9/);
});

test('hostile URL values fall back to defaults with a visible notice, and the page stays alive', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/circuit-breaker?mode=sandbox&policy=%3Cscript%3E&failure_threshold=0&failure_rate=101'
    + '&window=1e99&min_calls=NaN&wait_ms=-5&half_open_calls=&slow_ms=Infinity&slow_rate=0&outcomes=FFQ'
    + '&gap_ms=abc&dep_failure=2&dep_latency_ms=0&outage_start_s=-1&outage_end_s=1e9&timeout_ms=0x10&pool=0'
    + '&rate=-1&fallback=maybe&seed=x&until=-3&step=99&bogus=1');
  await waitForApp(page);
  const notice = page.getByTestId('url-notice');
  await expect(notice).toBeVisible();
  for (const key of ['policy', 'failure_threshold', 'failure_rate', 'window', 'min_calls', 'wait_ms', 'half_open_calls',
    'slow_ms', 'slow_rate', 'outcomes', 'gap_ms', 'dep_failure', 'dep_latency_ms', 'outage_start_s', 'outage_end_s',
    'timeout_ms', 'pool', 'rate', 'fallback', 'seed', 'until', 'step', 'bogus']) {
    await expect(notice).toContainText(key);
  }
  await expect(notice).toContainText('“Q” at position 3 is not a call');
  await expect(page.getByTestId('input-policy')).toHaveValue('consecutive');
  await expect(page.getByTestId('input-pool')).toHaveValue('20');
  await expect(page).not.toHaveURL(/outcomes=/);
  // An absurdly long script and an invisible control character are refused with a clear message.
  await page.goto(`/labs/circuit-breaker?mode=sandbox&outcomes=${'S'.repeat(10_001)}`);
  await waitForApp(page);
  await expect(page.getByTestId('url-notice')).toContainText('too long: at most 10000 calls');
  await page.goto('/labs/circuit-breaker?mode=sandbox&outcomes=SF%E2%80%AES');
  await waitForApp(page);
  await expect(page.getByTestId('url-notice')).toContainText('U+202E at position 3');
  // Typing nonsense shows an inline message and keeps the last good value.
  await page.locator('summary', { hasText: 'Scripted calls' }).click();
  for (const bad of ['SFq', 'S F', 'sys', '<img src=x>']) {
    await page.getByTestId('input-outcomes').fill(bad);
    await page.getByTestId('input-outcomes').press('Enter');
    await expect(page.getByTestId('error-outcomes')).toContainText('is not a call');
  }
  for (const bad of ['0', 'abc', '', '2000']) {
    await page.getByTestId('input-pool').fill(bad);
    await page.getByTestId('input-pool').press('Enter');
    await expect(page.getByTestId('error-pool')).not.toBeEmpty();
  }
  await expect(page).toHaveURL(/pool=20(&|$)/);
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  await page.getByTestId('play').click();
  await send(page, 'FSL');
  expect(await page.locator('.lab-main').innerText()).not.toMatch(/\bNaN\b|\binf(inity)?\b/i);
  errors.check();
});

test('the running system: the cascade without a breaker, and none with one', async ({ page }) => {
  const errors = watchErrors(page);
  // No breaker: every thread hangs on the dead dependency and the clients are turned away.
  await page.goto('/labs/circuit-breaker?mode=sandbox&policy=disabled&until=40');
  await waitForApp(page);
  await at(page, 40);
  await state(page, 'disabled');
  expect(await metric(page, 'pool-peak')).toBe(20);
  expect(await metric(page, 'outage-pool-usage')).toBeGreaterThan(0.95);
  expect(await metric(page, 'outage-success-ratio')).toBeLessThan(0.01);
  expect(await metric(page, 'caller-success-ratio')).toBeLessThan(0.4);
  expect(await metric(page, 'pool-full')).toBeGreaterThan(2000);
  expect(await metric(page, 'latency-p99-ms')).toBeGreaterThanOrEqual(999);
  // The default breaker (5 failures in a row) with the fallback: the pool stays free.
  await page.goto('/labs/circuit-breaker?mode=sandbox&until=40');
  await waitForApp(page);
  await at(page, 40);
  expect(await metric(page, 'outage-success-ratio')).toBeGreaterThan(0.95);
  expect(await metric(page, 'caller-success-ratio')).toBeGreaterThan(0.95);
  expect(await metric(page, 'outage-pool-usage')).toBeLessThan(0.1);
  expect(await metric(page, 'rejected')).toBeGreaterThan(2000);
  // One time axis for the three charts and the state timeline (they were 0-80 s against 0-50 s
  // after a jump), and one list of the moments the breaker opened, under the first chart.
  // The x axis' last tick: the largest number among the lowest row of numeric labels.
  const lastTick = (id) => page.getByTestId(id).locator('.chart-axes').evaluate((g) => {
    const ticks = [...g.querySelectorAll('text')].map((t) => ({ v: Number(t.textContent), y: t.getBBox().y }))
      .filter((t) => t.v === t.v && t.y === t.y);
    const bottom = Math.max(...ticks.map((t) => t.y));
    return Math.max(...ticks.filter((t) => Math.abs(t.y - bottom) < 2).map((t) => t.v));
  });
  const end = await lastTick('chart-calls');
  for (const id of ['chart-pool', 'chart-latency']) expect(await lastTick(id)).toBe(end);
  const timelineEnd = await page.getByTestId('state-timeline').locator('text.tl-text').last().textContent();
  expect(timelineEnd).toContain(end >= 60 ? `${Math.floor(end / 60)} min` : `${end}`);
  await expect(page.locator('.chart-events')).toHaveCount(1);
  await expect(page.getByTestId('chart-calls').locator('.chart-events li')).not.toHaveCount(0);
  // Both fill the pool in the outage's first second (the breaker learns from timeouts); from then
  // on only the run without a breaker keeps it full.
  for (const [policy, peak] of [['consecutive', (p) => p <= 2], ['disabled', (p) => p === 20]]) {
    await page.goto(`/labs/circuit-breaker?mode=sandbox&policy=${policy}&until=15`);
    await waitForApp(page);
    await at(page, 15);
    await page.getByTestId('restart-counters').click();
    for (let i = 0; i < 12; i++) await page.getByTestId('step').click();
    await expect(page.getByTestId('sim-time')).toHaveAttribute('data-value', '18');
    const p = await metric(page, 'pool-peak');
    expect(peak(p), `${policy}: pool peak ${p}`).toBe(true);
  }
  errors.check();
});

test('compare runs a breaker against no breaker on the same requests', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/circuit-breaker?mode=sandbox');
  await waitForApp(page);
  await expect(page.getByTestId('compare-variant-consecutive')).toBeChecked();
  await expect(page.getByTestId('compare-variant-disabled')).toBeChecked();
  await page.getByTestId('compare-variant-count_window').check();
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-row')).toHaveCount(3, { timeout: 30_000 });
  await expect(page.getByTestId('compare-same-workload')).toContainText('exactly the same');
  const usage = await page.getByTestId('compare-pool-usage').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
  const success = await page.getByTestId('compare-outage-success').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
  // Rows in policy order: consecutive, count window, no breaker.
  expect(usage[0]).toBeLessThan(0.1);
  expect(usage[2]).toBeGreaterThan(0.95);
  expect(success[0]).toBeGreaterThan(0.95);
  expect(success[2]).toBeLessThan(0.01);
  await expect(page.getByTestId('chart-compare-pool').locator('svg')).toBeVisible();
  await expect(page.getByTestId('compare-timeline')).toHaveCount(3);
  // One policy is not a comparison.
  for (const p of ['consecutive', 'count_window']) await page.getByTestId(`compare-variant-${p}`).uncheck();
  await expect(page.getByTestId('compare-run')).toBeDisabled();
  errors.check();
});

test('until fast-forwards and pauses, with the state it reached', async ({ page }) => {
  await page.goto('/labs/circuit-breaker?mode=sandbox&until=12.5');
  await waitForApp(page);
  await at(page, 12.5);
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  await state(page, 'open');
  expect(await metric(page, 'requests')).toBeGreaterThan(1100);
  // It stays there: no time passes while paused.
  await page.waitForTimeout(500);
  await expect(page.getByTestId('sim-time')).toHaveAttribute('data-value', '12.5');
});

test('the lesson can be stepped with the keyboard, predicts before it runs, and the loop goal is met', async ({ page }) => {
  await page.goto('/labs/circuit-breaker?step=1');
  await waitForApp(page);
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '1');
  await page.getByTestId('lesson-next').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/step=2/);
  await expect(page).toHaveURL(/failure_threshold=3/);
  // Step 2: the goal needs CLOSED -> OPEN -> HALF_OPEN -> CLOSED, by keyboard.
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await page.getByTestId('send-failure').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
  await state(page, 'open');
  for (let i = 0; i < 20; i++) await page.getByTestId('step').press('Enter');
  await state(page, 'half_open');
  await page.getByTestId('send-success').focus();
  await page.keyboard.press('Space');
  await state(page, 'closed');
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met');
  // Step 3: a prediction, answered by keyboard before the script runs.
  await page.getByTestId('lesson-next').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/step=3/);
  await page.getByTestId('predict-option-1').focus();
  await page.keyboard.press('Space');
  await page.getByTestId('predict-submit').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prediction-result')).toContainText('Right');
  await at(page, 9);
  await state(page, 'open');
  await expect(page.getByTestId('transition-log')).toContainText('over 10 calls');
  // Back with the keyboard too.
  await page.getByTestId('lesson-back').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/step=2/);
});

test('the last step\'s goal: a breaker keeps the caller above 95% through the outage', async ({ page }) => {
  await page.goto('/labs/circuit-breaker?step=8');
  await waitForApp(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await page.getByTestId('input-policy').selectOption('consecutive');
  await page.getByTestId('speed').selectOption('100');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 30_000 });
  expect(await metric(page, 'outage-success-ratio')).toBeGreaterThanOrEqual(0.95);
});

test('the last transition animates once, and not at all under prefers-reduced-motion', async ({ browser }) => {
  for (const reducedMotion of ['no-preference', 'reduce']) {
    const page = await browser.newPage({ reducedMotion });
    await page.goto('/labs/circuit-breaker?mode=sandbox&rate=0&failure_threshold=1');
    await waitForApp(page);
    await expect(page.getByTestId('last-transition')).toHaveCount(0);
    await page.getByTestId('send-failure').click();
    const line = page.getByTestId('last-transition').locator('path').first();
    await expect(page.getByTestId('last-transition')).toHaveAttribute('data-value', 'closed-open');
    const style = await line.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { name: cs.animationName, seconds: parseFloat(cs.animationDuration), count: cs.animationIterationCount };
    });
    expect(style.name).toBe('sm-draw');
    expect(style.count).toBe('1');
    if (reducedMotion === 'reduce') expect(style.seconds).toBeLessThan(0.001);
    else expect(style.seconds).toBeGreaterThan(0.5);
    await page.close();
  }
});

for (const scheme of ['dark', 'light']) {
  test(`the breaker lab passes axe-core in ${scheme} mode on a phone, without overflow`, async ({ browser }) => {
    const page = await phonePage(browser, scheme);
    const errors = watchErrors(page);
    await page.goto('/labs/circuit-breaker?mode=sandbox&until=16');
    await waitForApp(page);
    await at(page, 16);
    await page.getByTestId('send-failure').click();
    await page.getByTestId('compare-duration').selectOption('30');
    await page.getByTestId('compare-run').click();
    await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 30_000 });
    await page.locator('details.model summary').click();
    await page.locator('summary', { hasText: 'Scripted calls' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoOverflow(page);
    // The lesson panel too.
    await page.getByTestId('mode-lesson').click();
    await expect(page.getByTestId('lesson')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    errors.check();
    await page.close();
  });
}
