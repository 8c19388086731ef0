// The scaling journey end to end: URL state and hostile input, the bottleneck moving as the right
// component is added, each fault button, a level won by the known architecture and lost by the
// previous one, compare, the lesson (prediction first, a goal reached as the hint says), axe-core
// on a phone in both schemes.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric, seriousViolations, at, expectQueryInUrl, phonePage, expectNoOverflow } from './helpers.mjs';

const METRICS = ['users', 'p99-ms', 'p99-us-ms', 'p99-eu-ms', 'p99-asia-ms', 'error-rate', 'cost-per-month',
  'bottleneck', 'bottleneck-utilization', 'max-throughput', 'stage-passed'];

const bottleneck = (page) => page.getByTestId('metric-bottleneck');

async function setInput(page, key, value) {
  const input = page.getByTestId(`input-${key}`);
  if (await input.evaluate((el) => el.tagName === 'SELECT')) {
    await input.selectOption(value);
  } else if (await input.getAttribute('type') === 'checkbox') {
    await input.setChecked(value === 'true');
  } else {
    await input.fill(value);
    await input.press('Enter');
  }
}

test('the bottleneck moves as the right component is added: database, then a cache, then the app servers', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/journey?mode=sandbox&stage=0&users=100000&db_max_connections=20000&app_servers=30&until=60');
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('scaling journey');
  await at(page, 60);
  for (const name of METRICS) await expect(page.getByTestId(`metric-${name}`)).toBeVisible();
  await expect(bottleneck(page)).toHaveAttribute('data-value', 'db-primary');
  await expect(page.getByTestId('box-db-primary')).toHaveClass(/jr-bottleneck/);
  expect(await metric(page, 'max-throughput')).toBeCloseTo(9524, 0);
  await expect(page.getByTestId('hints')).toContainText('database');
  // More app servers change nothing: the same bound.
  await setInput(page, 'app_servers', '60');
  await page.getByTestId('step').click();
  await expect(bottleneck(page)).toHaveAttribute('data-value', 'db-primary');
  expect(await metric(page, 'max-throughput')).toBeCloseTo(9524, 0);
  // A cache takes the reads: the bottleneck moves to the app servers, and the bound rises.
  await expect(page.getByTestId('box-cache')).toHaveCount(0);
  await setInput(page, 'app_servers', '30');
  await setInput(page, 'cache_gb', '4');
  await page.getByTestId('step').click();
  await expect(bottleneck(page)).toHaveAttribute('data-value', 'app-servers');
  await expect(page.getByTestId('box-cache')).toBeVisible();
  expect(await metric(page, 'max-throughput')).toBeGreaterThan(15000);
  for (const chart of ['chart-p99', 'chart-errors', 'chart-cost', 'chart-bottleneck']) {
    await expect(page.getByTestId(chart).locator('svg').first()).toBeVisible();
  }
  // The export holds what the cards show: the bottleneck by its name.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const rows = readFileSync(await (await download).path(), 'utf8').trim().split('\n').map((r) => r.split(','));
  const column = rows[0].indexOf('bottleneck');
  expect(rows[1][column]).toBe('db-primary');
  expect(rows.at(-1)[column]).toBe('app-servers');
  expect(await seriousViolations(page)).toEqual([]);
  errors.check();
});

test('URL parameters apply, hostile ones fall back with a notice, and the URL follows changes', async ({ page }) => {
  const query = 'stage=0&app_servers=4&server_size=medium&sessions=local&cdn=true&cache_gb=8&replicas=2&shards=2'
    + '&queue=true&workers=5&autoscale=true&breaker=true&regions=active-active&pool=5&db_max_connections=200'
    + '&users=20000&read_ratio=0.8&static_share=0.4&slow_share=0.02&region_mix=us:60,eu:25,asia:15';
  await page.goto(`/labs/journey?${query}&seed=7&mode=sandbox`);
  await waitForApp(page);
  await expect(page.getByTestId('url-notice')).toHaveCount(0);
  await expect(page.getByTestId('input-server_size')).toHaveValue('medium');
  await expect(page.getByTestId('input-regions')).toHaveValue('active-active');
  await expect(page.getByTestId('input-region_mix')).toHaveValue('us:60,eu:25,asia:15');
  await expect(page.getByTestId('stack-asia')).toBeVisible();
  await expect(page).toHaveURL(/seed=7/);
  await expectQueryInUrl(page, 'app_servers=4&cache_gb=8&pool=5&regions=active-active&users=20000');
  await page.getByTestId('input-server_size').selectOption('large');
  await expect(page).toHaveURL(/server_size=large/);

  const errors = watchErrors(page);
  await page.goto('/labs/journey?mode=sandbox&stage=9&users=NaN&server_size=%3Cscript%3E&region_mix=mars:1'
    + '&app_servers=1e99&regions=evil&seed=x&until=-3&bogus=1');
  await waitForApp(page);
  const notice = page.getByTestId('url-notice');
  for (const key of ['stage', 'users', 'server_size', 'region_mix', 'app_servers', 'regions', 'seed', 'until', 'bogus']) {
    await expect(notice).toContainText(key);
  }
  await expect(page.getByTestId('input-server_size')).toHaveValue('small');
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  await page.getByTestId('play').click();
  expect(await page.locator('.lab-main').innerText()).not.toMatch(/\bNaN\b|\binf(inity)?\b/i);
  errors.check();
});

test('each fault button changes the run', async ({ page }) => {
  const errors = watchErrors(page);
  const base = '/labs/journey?mode=sandbox&stage=0&users=20000&app_servers=4&until=60';
  const after = async (testid, read) => {
    await page.goto(base);
    await waitForApp(page);
    await at(page, 60);
    const before = await read();
    await page.getByTestId(testid).click();
    await expect(page.getByTestId('action-message')).toContainText('At ');
    await page.getByTestId('step').click();
    await expect(page.getByTestId('sim-time')).toHaveAttribute('data-value', '70');
    return [before, await read()];
  };
  let [b, a] = await after('fail-region', () => metric(page, 'error-rate'));
  expect(b).toBe(0);
  expect(a).toBe(1);
  await expect(page.getByTestId('stack-us')).toContainText('DOWN');
  [b, a] = await after('fail-primary', () => metric(page, 'error-rate'));
  expect(a).toBeGreaterThan(b + 0.1);
  [b, a] = await after('spike', () => metric(page, 'users'));
  expect(a).toBeGreaterThan(b);
  // Calls that hang hold the threads for 10 s each: within seconds requests are turned away.
  [b, a] = await after('fail-third-party', () => metric(page, 'error-rate'));
  expect(b).toBe(0);
  expect(a).toBeGreaterThan(0.05);
  errors.check();
});

test('level 2 is won by the known architecture and lost by level 1\'s', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('/labs/journey?mode=sandbox&stage=2&app_servers=30&db_max_connections=400&cache_gb=4&replicas=2&until=3600');
  await waitForApp(page);
  await at(page, 3600, 60_000);
  expect(await metric(page, 'stage-passed')).toBe(1);
  await expect(page.getByTestId('level-verdict')).toContainText('won');
  await page.goto('/labs/journey?mode=sandbox&stage=2&breaker=true&until=3600');
  await waitForApp(page);
  await at(page, 3600, 60_000);
  expect(await metric(page, 'stage-passed')).toBe(0);
  await expect(page.getByTestId('level-verdict')).toContainText('lost');
  errors.check();
});

test('compare: two architectures on the same traffic', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/journey?mode=sandbox&stage=0&users=100000&db_max_connections=20000&app_servers=30');
  await waitForApp(page);
  await page.getByTestId('compare-keep').click();
  await setInput(page, 'cache_gb', '4');
  await expect(page.getByTestId('compare-a')).toContainText('4');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-row')).toHaveCount(2, { timeout: 60_000 });
  const names = await page.getByTestId('compare-bottleneck').evaluateAll((els) => els.map((e) => e.dataset.value));
  expect(names).toEqual(['app-servers', 'db-primary']);
  errors.check();
});

test('the lesson asks before it runs, and a goal is reached as the hint says', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/journey?step=2');
  await waitForApp(page);
  await expect(page.getByTestId('metric-error-rate')).toHaveAttribute('data-hidden', 'true');
  await expect(page.getByTestId('metric-bottleneck')).toHaveAttribute('data-hidden', 'true');
  await page.getByTestId('predict-option-0').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Not quite');
  await at(page, 600);
  await expect(page.getByTestId('metric-error-rate')).not.toHaveAttribute('data-hidden', 'true');
  expect(await metric(page, 'error-rate')).toBeCloseTo(0.36, 1);
  await expect(bottleneck(page)).toHaveAttribute('data-value', 'app-servers');

  // Step 5: "Raise App servers to 4 (a load balancer goes in front of them), then run a minute."
  await page.goto('/labs/journey?step=5');
  await waitForApp(page);
  await page.getByTestId('lesson-run').click();
  await at(page, 600);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await setInput(page, 'app_servers', '4');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 30_000 });
  await expect(page.getByTestId('box-load-balancer')).toBeVisible();
  errors.check();
});

for (const scheme of ['dark', 'light']) {
  test(`the journey lab passes axe-core in ${scheme} mode on a phone, without overflow`, async ({ browser }) => {
    const page = await phonePage(browser, scheme);
    const errors = watchErrors(page);
    await page.goto('/labs/journey?mode=sandbox&stage=0&users=10000&region_mix=us:60,eu:25,asia:15&app_servers=4&until=120');
    await waitForApp(page);
    await at(page, 120);
    await page.getByTestId('spike').click();
    await page.locator('details.model summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoOverflow(page);
    errors.check();
    await page.close();
  });
}
