// The hash ring lab end to end: URL state, membership changes, metrics, lesson, compare, cost.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric } from './helpers.mjs';

/** Waits until both placements are computed (no progress bar) and the metrics are live. */
async function ready(page) {
  await waitForApp(page);
  await expect(page.getByTestId('placement-progress')).toHaveCount(0, { timeout: 30_000 });
}

test('modulo 10 -> 11 moves about 10/11 of the keys; the ring about 1/11', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/hash-ring?strategy=modulo&nodes=10&keys=20000&mode=sandbox');
  await ready(page);
  expect(await metric(page, 'nodes')).toBe(10);
  await page.getByTestId('add-node').click();
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '11');
  const moduloMoved = await metric(page, 'keys-moved');
  expect(moduloMoved).toBeGreaterThan(0.89);
  expect(moduloMoved).toBeLessThan(0.93);

  await page.goto('/labs/hash-ring?strategy=ring&nodes=10&vnodes=100&keys=20000&mode=sandbox');
  await ready(page);
  await page.getByTestId('add-node').click();
  await ready(page);
  const ringMoved = await metric(page, 'keys-moved');
  expect(ringMoved).toBeGreaterThan(0.05);
  expect(ringMoved).toBeLessThan(0.13);
  errors.check();
});

test('remove-node removes the last added node and the URL keeps the node count', async ({ page }) => {
  await page.goto('/labs/hash-ring?strategy=ring&nodes=5&mode=sandbox');
  await ready(page);
  await page.getByTestId('add-node').click();
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '6');
  await expect(page).toHaveURL(/nodes=6/);
  await page.getByTestId('remove-node').click();
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '5');
  // Removing a node moves only its keys: about 1/6 of them.
  const moved = await metric(page, 'keys-moved');
  expect(moved).toBeGreaterThan(0.08);
  expect(moved).toBeLessThan(0.26);
});

test('virtual nodes bring the load spread down', async ({ page }) => {
  await page.goto('/labs/hash-ring?strategy=ring&nodes=10&vnodes=1&keys=50000&mode=sandbox');
  await ready(page);
  const lumpy = await metric(page, 'load-cv');
  await page.getByTestId('input-vnodes').fill('200');
  await page.getByTestId('input-vnodes').press('Enter');
  await ready(page);
  await expect(page).toHaveURL(/vnodes=200/);
  const smooth = await metric(page, 'load-cv');
  expect(lumpy).toBeGreaterThan(0.3);
  expect(smooth).toBeLessThan(0.15);
});

test('hostile URL values fall back to defaults with a visible notice', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/hash-ring?strategy=%3Cscript%3E&nodes=NaN&vnodes=1e99&keys=-5&epsilon=&seed=abc&step=999&mode=evil&bogus=1');
  await ready(page);
  const notice = page.getByTestId('url-notice');
  await expect(notice).toBeVisible();
  for (const key of ['strategy', 'nodes', 'vnodes', 'keys', 'epsilon', 'seed', 'step', 'mode', 'bogus']) {
    await expect(notice).toContainText(key);
  }
  // mode=evil falls back to the lesson, whose first step presets 10 nodes with hash % N.
  expect(await metric(page, 'nodes')).toBe(10);
  await expect(page.getByTestId('input-strategy')).toHaveValue('modulo');
  errors.check();
});

test('typing an invalid number shows a message and keeps the last good value', async ({ page }) => {
  await page.goto('/labs/hash-ring?nodes=7&mode=sandbox');
  await ready(page);
  const input = page.getByTestId('input-nodes');
  for (const bad of ['0', '5000', 'abc', '']) {
    await input.fill(bad);
    await input.press('Enter');
    await expect(page.getByTestId('error-nodes')).not.toBeEmpty();
    await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '7');
  }
  await input.fill('8');
  await input.press('Enter');
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '8');
  await expect(page.getByTestId('error-nodes')).toBeEmpty();
});

test('the lesson predicts before it reveals, and its progress survives a reload', async ({ page }) => {
  await page.goto('/labs/hash-ring?step=1');
  await ready(page);
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '1');
  await expect(page.getByTestId('predict-submit')).toBeDisabled();
  await page.getByTestId('predict-option-2').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Right');
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '11');
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '2');
  await expect(page).toHaveURL(/step=2/);
  await page.goto('/labs/hash-ring');
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '2');
});

test('the virtual-node goal is checked live', async ({ page }) => {
  await page.goto('/labs/hash-ring?step=4');
  await ready(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await page.getByTestId('input-vnodes').fill('150');
  await page.getByTestId('input-vnodes').press('Enter');
  await ready(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met');
});

test('compare shows two strategies on the same change; the cost panel replays it', async ({ page }) => {
  await page.goto('/labs/hash-ring?strategy=ring&nodes=10&keys=20000&mode=sandbox&seed=3');
  await ready(page);
  await expect(page.getByTestId('compare-strategy')).toHaveValue('modulo');
  await page.getByTestId('add-node').click();
  await ready(page);
  const a = Number((await page.getByTestId('compare-a-keys-moved').innerText()).replace('%', ''));
  const b = Number((await page.getByTestId('compare-b-keys-moved').innerText()).replace('%', ''));
  expect(a).toBeLessThan(15);
  expect(b).toBeGreaterThan(85);
  // Run the clock past the change at 10 s: the modulo cache dips far lower than the ring's.
  await page.getByTestId('speed').selectOption('30');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('sim-time')).toHaveAttribute('data-value', /^(1[2-9]|[2-9]\d|\d{3,})/, { timeout: 20_000 });
  await page.getByTestId('play').click();
  const dipRing = Number(await page.getByTestId('cost-dip-a').getAttribute('data-value'));
  const dipModulo = Number(await page.getByTestId('cost-dip-b').getAttribute('data-value'));
  expect(dipRing - dipModulo).toBeGreaterThan(0.2);
});

test('same URL, same numbers', async ({ page }) => {
  const url = '/labs/hash-ring?strategy=bounded&nodes=12&vnodes=20&keys=30000&epsilon=0.1&seed=9&mode=sandbox';
  await page.goto(url);
  await ready(page);
  const first = [await metric(page, 'load-cv'), await metric(page, 'peak-to-mean')];
  await page.goto(url);
  await ready(page);
  const second = [await metric(page, 'load-cv'), await metric(page, 'peak-to-mean')];
  expect(second).toEqual(first);
  expect(first[1]).toBeLessThanOrEqual(1.1 + 1e-9);
});

test('keyboard alone adds a node and changes a parameter', async ({ page }) => {
  await page.goto('/labs/hash-ring?nodes=4&mode=sandbox');
  await ready(page);
  await page.getByTestId('add-node').focus();
  await page.keyboard.press('Enter');
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '5');
  await page.getByTestId('slider-nodes').focus();
  await page.keyboard.press('ArrowRight');
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '6');
});

test('1,000 nodes x 1,000 virtual nodes x 1,000,000 keys computes in slices without freezing the page', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/labs/hash-ring?strategy=ring&nodes=1000&vnodes=1000&keys=1000000&mode=sandbox');
  await waitForApp(page);
  await expect(page.getByTestId('placement-progress')).toBeVisible();
  // The page stays responsive while the placement is computed: a click is handled at once.
  await page.getByTestId('mode-lesson').click();
  await expect(page.getByTestId('mode-lesson')).toHaveAttribute('aria-pressed', 'true', { timeout: 2_000 });
  await page.getByTestId('mode-sandbox').click();
  await expect(page.getByTestId('placement-progress')).toHaveCount(0, { timeout: 150_000 });
  expect(await metric(page, 'nodes')).toBe(1000);
  expect(await metric(page, 'load-cv')).toBeLessThan(0.1);
  errors.check();
});

test('until= fast-forwards the simulated clock after loading, then pauses', async ({ page }) => {
  await page.goto('/labs/hash-ring?mode=sandbox&until=45');
  await ready(page);
  await expect(page.getByTestId('sim-time')).toHaveAttribute('data-value', '45');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('fast-forward')).toHaveCount(0);
});

test('a lesson step runs from its preset every time', async ({ page }) => {
  await page.goto('/labs/hash-ring?step=3');
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '6');
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('lesson-run').click();
    await ready(page);
    await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '5');
  }
});

test('a node added while the first placement is still computing is applied after it, not lost', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/hash-ring?mode=sandbox&keys=100000&strategy=jump&nodes=10');
  await waitForApp(page);
  await page.getByTestId('add-node').click();
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '11');
  await expect(page.getByTestId('metric-keys-moved')).not.toHaveAttribute('data-value', '');
  const moved = await metric(page, 'keys-moved');
  expect(moved).toBeGreaterThan(0.08);
  expect(moved).toBeLessThan(0.1);
  errors.check();
});

test('a lesson run adds a server and shows what moved; a prediction hides its answer until locked in', async ({ page }) => {
  await page.goto('/labs/hash-ring?step=2');
  await ready(page);
  await page.getByTestId('predict-option-1').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Not quite');
  await ready(page);
  await expect(page.getByTestId('metric-nodes')).toHaveAttribute('data-value', '11');
  const moved = await metric(page, 'keys-moved');
  expect(moved).toBeGreaterThan(0.07);
  expect(moved).toBeLessThan(0.12);

  // Step 6 asks what a rendezvous lookup costs: the lookup cost waits for the answer.
  await page.goto('/labs/hash-ring?step=6');
  await ready(page);
  await expect(page.getByTestId('metric-lookup-cost')).toHaveAttribute('data-hidden', 'true');
  await expect(page.getByTestId('metric-lookup-cost')).toHaveAttribute('data-value', '');
  await page.getByTestId('predict-option-2').check();
  await page.getByTestId('predict-submit').click();
  await ready(page);
  await expect(page.getByTestId('metric-lookup-cost')).toHaveAttribute('data-value', '9');
  await page.getByTestId('predict-again').click();
  await expect(page.getByTestId('predict-submit')).toBeVisible();
  await expect(page.getByTestId('metric-lookup-cost')).toHaveAttribute('data-hidden', 'true');
});

test('a goal once reached stays reached; the last step sums up and links to the next lab', async ({ page }) => {
  await page.goto('/labs/hash-ring?step=4');
  await ready(page);
  await page.getByTestId('input-vnodes').fill('150');
  await page.getByTestId('input-vnodes').press('Enter');
  await ready(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met');
  await page.getByTestId('input-vnodes').fill('1');
  await page.getByTestId('input-vnodes').press('Enter');
  await ready(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-live', 'unmet');
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met');
  await page.goto('/labs/hash-ring?step=9');
  await expect(page.getByTestId('summary-goals')).toHaveAttribute('data-value', '1');
  await expect(page.getByTestId('lesson-next-lab')).toHaveAttribute('href', /\/labs\/sharding$/);
});

test('a goal not reached after a while offers its hint', async ({ page }) => {
  await page.clock.install();
  await page.goto('/labs/hash-ring?step=7');
  await page.clock.runFor(2_000);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await expect(page.getByTestId('goal-hint')).toHaveCount(0);
  await page.clock.runFor(46_000);
  await expect(page.getByTestId('goal-hint')).toBeVisible();
  await page.getByTestId('goal-hint').locator('summary').click();
  await expect(page.getByTestId('goal-hint')).toContainText('epsilon');
});
