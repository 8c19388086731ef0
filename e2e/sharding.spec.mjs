// The sharding lab end to end: URL state and hostile input, the shards and the keyspace strip,
// resharding (keys moved, the migration, split and salt), ten million keys placed without freezing
// the page with a control pressed meanwhile applied after, compare, the lesson (prediction first,
// a goal reached as the text says), axe-core on a phone in both schemes.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric, seriousViolations, at, openSandboxWithQuery, phonePage, expectNoOverflow } from './helpers.mjs';

const METRICS = ['imbalance', 'hottest-share', 'throttled', 'keys-moved', 'migration-progress', 'fanout',
  'single-p99-ms', 'range-p99-ms', 'global-p99-ms', 'cross-shard-share'];

test('the page loads cleanly with every metric, the shards, the keyspace and the charts', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/sharding?mode=sandbox&until=5');
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Sharding');
  await at(page, 5);
  for (const name of METRICS) await expect(page.getByTestId(`metric-${name}`)).toBeVisible();
  // Eight hash shards of 1,000 ops/s at 4,000 ops/s: nobody throttled, load close to even.
  expect(await metric(page, 'throttled')).toBeLessThan(0.01);
  expect(await metric(page, 'imbalance')).toBeLessThan(1.3);
  expect(await metric(page, 'migration-progress')).toBe(1);
  await expect(page.getByTestId('shard-columns').locator('.sh-shard')).toHaveCount(8);
  // Hashing scatters the keys: many runs on the strip.
  expect(await page.getByTestId('keyspace-strip').locator('.sh-run').count()).toBeGreaterThan(100);
  for (const chart of ['chart-traffic', 'chart-latency']) {
    await expect(page.getByTestId(chart).locator('svg')).toBeVisible();
  }
  expect(await seriousViolations(page)).toEqual([]);
  errors.check();
});

test('URL parameters apply, hostile ones fall back with a notice, and the URL follows changes', async ({ page }) => {
  const query = 'strategy=range&shards=4&logical_shards=0&vnodes=50&keys=200000&alpha=1&monotonic=1&read_ratio=0.5'
    + '&range_share=0.1&global_share=0.05&txn_share=0.05&rate=2000&shard_capacity=800&shard_latency_ms=3'
    + '&migration_mb_s=20&salt=4&regions=us:50,eu:50';
  // The URL writes a value's `:` and `,` as they are (a link percent-encoding them reads the same).
  await openSandboxWithQuery(page, 'sharding', query, 9, {
    strategy: 'range', shards: '4', salt: '4',
  });
  await expect(page.getByTestId('input-regions')).toHaveValue('us:50,eu:50');
  await page.getByTestId('input-regions').fill('us:60,eu:30,ap:10');
  await page.getByTestId('input-regions').press('Enter');
  await expect(page).toHaveURL(/regions=us%3A60%2Ceu%3A30%2Cap%3A10|regions=us:60,eu:30,ap:10/);
  for (const bad of ['us:-1', 'us:1,us:2', '<b>', 'a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1']) {
    await page.getByTestId('input-regions').fill(bad);
    await page.getByTestId('input-regions').press('Enter');
    await expect(page.getByTestId('error-regions')).not.toBeEmpty();
  }
  await page.getByTestId('input-strategy').selectOption('consistent');
  await expect(page).toHaveURL(/strategy=consistent/);

  const errors = watchErrors(page);
  await page.goto('/labs/sharding?mode=sandbox&strategy=%3Cscript%3E&shards=0&alpha=NaN&keys=1e99&regions=us:x'
    + '&logical_shards=3&salt=-1&seed=x&until=-3&bogus=1');
  await waitForApp(page);
  const notice = page.getByTestId('url-notice');
  for (const key of ['strategy', 'shards', 'alpha', 'keys', 'regions', 'logical_shards', 'salt', 'seed', 'until', 'bogus']) {
    await expect(notice).toContainText(key);
  }
  await expect(page.getByTestId('input-strategy')).toHaveValue('hash');
  await expect(page.getByTestId('input-shards')).toHaveValue('8');
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  await page.getByTestId('play').click();
  expect(await page.locator('.lab-main').innerText()).not.toMatch(/\bNaN\b|\binf(inity)?\b/i);
  errors.check();
});

test('adding a shard under hash % N moves most keys over a migration; consistent hashing moves few', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/sharding?mode=sandbox&keys=100000&migration_mb_s=5&until=2');
  await waitForApp(page);
  await at(page, 2);
  await page.getByTestId('add-shard').click();
  await expect(page.getByTestId('action-message')).toContainText('At 2.000 s');
  await expect(page.getByTestId('migration-progress')).toBeVisible();
  expect(Math.abs(await metric(page, 'keys-moved') - 8 / 9)).toBeLessThan(0.02);
  expect(await metric(page, 'migration-progress')).toBeLessThan(1);
  await expect(page.getByTestId('shard-columns').locator('.sh-shard')).toHaveCount(9);
  await expect(page.getByTestId('shard-columns').locator('.sh-shard.joining')).toHaveCount(1);
  // About 89 MB at 5 MB/s: the copy ends near 0:20.
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('metric-migration-progress')).toHaveAttribute('data-value', '1', { timeout: 30_000 });
  await page.getByTestId('play').click();
  await expect(page.getByTestId('last-change')).toContainText('the copy took');
  await expect(page.getByTestId('event-log')).not.toBeEmpty();

  await page.goto('/labs/sharding?mode=sandbox&keys=100000&strategy=consistent&until=2');
  await waitForApp(page);
  await at(page, 2);
  await page.getByTestId('add-shard').click();
  await expect(page.getByTestId('migration-progress')).toBeVisible();
  expect(Math.abs(await metric(page, 'keys-moved') - 1 / 9)).toBeLessThan(0.03);
  errors.check();
});

test('range shards: monotonic writes make the last shard hot; split it; salt the celebrity key', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/sharding?mode=sandbox&strategy=range&monotonic=1&keys=100000&until=5');
  await waitForApp(page);
  await at(page, 5);
  await expect(page.getByTestId('keyspace-strip').locator('.sh-run')).toHaveCount(8);
  expect(await metric(page, 'hottest-share')).toBeGreaterThan(0.2);
  await expect(page.getByTestId('shard-columns').locator('.sh-shard.hot')).toHaveCount(1);
  await page.getByTestId('split-hot-range').click();
  await expect(page.getByTestId('action-message')).toContainText('At 5.000 s: split the hottest range of shard 7');
  await expect(page.getByTestId('last-change')).toContainText('split the hottest range');
  await page.getByTestId('salt-hot-key').click();
  await expect(page.getByTestId('action-message')).toContainText('8 sub-keys');
  await expect(page.getByTestId('input-salt')).toHaveValue('8');
  await expect(page.getByTestId('hot-key')).toContainText('split into 8 sub-keys');
  await page.getByTestId('salt-hot-key').click();
  await expect(page.getByTestId('input-salt')).toHaveValue('1');
  errors.check();
});

test('ten million keys on 64 shards (1,024 logical) are placed without freezing the page; a control pressed meanwhile is applied after', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/labs/sharding?mode=sandbox&keys=10000000&shards=64&logical_shards=1024&until=3');
  await waitForApp(page);
  await expect(page.getByTestId('placement-progress')).toBeVisible();
  // The page stays responsive while it places: a click is handled at once, and a shard added
  // removed now waits for the placement and the fast-forward.
  await page.getByTestId('mode-lesson').click();
  await expect(page.getByTestId('mode-lesson')).toHaveAttribute('aria-pressed', 'true', { timeout: 2_000 });
  await page.getByTestId('mode-sandbox').click();
  await page.getByTestId('remove-shard').click();
  await at(page, 3, 100_000);
  await expect(page.getByTestId('action-message')).toContainText('At 3.000 s', { timeout: 30_000 });
  await expect(page.getByTestId('shard-columns').locator('.sh-shard.leaving')).toHaveCount(1);
  // Logical shards move whole: the leaving shard's 16 of 1,024.
  expect(Math.abs(await metric(page, 'keys-moved') - 1 / 64)).toBeLessThan(0.003);
  errors.check();
});

test('compare: five strategies on one workload, then one more shard each', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('/labs/sharding?mode=sandbox&keys=100000');
  await waitForApp(page);
  await page.getByTestId('compare-seconds').selectOption('10');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-row')).toHaveCount(5, { timeout: 60_000 });
  const moved = await page.getByTestId('compare-keys-moved').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.closest('tr').dataset.strategy, Number(e.dataset.value)])));
  expect(Math.abs(moved.hash - 8 / 9)).toBeLessThan(0.02);
  expect(Math.abs(moved.consistent - 1 / 9)).toBeLessThan(0.03);
  await expect(page.getByTestId('chart-compare').locator('svg')).toBeVisible();
  errors.check();
});

test('the lesson asks before it runs, and the shards goal is reached as the text says', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/sharding?step=1');
  await waitForApp(page);
  // Nothing the question asks about is on screen before the answer.
  for (const name of ['throttled', 'single-p99-ms']) {
    await expect(page.getByTestId(`metric-${name}`)).toHaveAttribute('data-hidden', 'true');
  }
  await page.getByTestId('predict-option-0').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Not quite');
  await expect(page.getByTestId('metric-throttled')).not.toHaveAttribute('data-hidden', 'true');
  // Answering runs the step: 10 simulated seconds.
  await at(page, 10);
  expect(Math.abs(await metric(page, 'throttled') - 0.49)).toBeLessThan(0.03);

  await page.goto('/labs/sharding?step=2');
  await waitForApp(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  // As a learner might: the traffic of the goal on 10 shards first, which is not quite enough.
  await page.getByTestId('input-rate').fill('10000');
  await page.getByTestId('input-rate').press('Enter');
  await page.getByTestId('input-alpha').fill('0.8');
  await page.getByTestId('input-alpha').press('Enter');
  await page.getByTestId('input-shards').fill('10');
  await page.getByTestId('input-shards').press('Enter');
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('metric-operations')).toHaveAttribute('data-value', /^[1-9]\d{5}$/, { timeout: 30_000 });
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  // Then enough shards, and Play.
  await page.getByTestId('input-shards').fill('12');
  await page.getByTestId('input-shards').press('Enter');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 30_000 });
  errors.check();
});

for (const scheme of ['dark', 'light']) {
  test(`the sharding lab passes axe-core in ${scheme} mode on a phone, without overflow`, async ({ browser }) => {
    const page = await phonePage(browser, scheme);
    const errors = watchErrors(page);
    await page.goto('/labs/sharding?mode=sandbox&keys=100000&until=3');
    await waitForApp(page);
    await at(page, 3);
    await page.getByTestId('add-shard').click();
    await page.locator('details.model summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoOverflow(page);
    errors.check();
    await page.close();
  });
}
