// The replication lab end to end: URL state, the metrics of each routing and commit mode, stale
// and broken session guarantees, failover loss, stopped replicas, compare, the lesson with the
// keyboard, hostile input, accessibility and phone layout.
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp, metric, seriousViolations, at, openSandboxWithQuery, phonePage, expectNoOverflow } from './helpers.mjs';

const METRICS = ['stale-read-ratio', 'ryw-violations', 'monotonic-violations', 'replication-lag-p99-ms',
  'write-latency-p50-ms', 'write-latency-p99-ms', 'primary-read-share', 'lost-writes'];

async function open(page, query, secs) {
  await page.goto(`/labs/replication?mode=sandbox&${query}&until=${secs}`);
  await waitForApp(page);
  await at(page, secs);
}

test('the page loads cleanly with every metric, the topology, the sessions and the charts', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, 'seed=3', 5);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Replication lag');
  for (const name of METRICS) await expect(page.getByTestId(`metric-${name}`)).toBeVisible();
  for (const id of [1, 2, 3]) await expect(page.getByTestId(`topology-replica-${id}`)).toHaveCount(1);
  await expect(page.getByTestId('topology-primary')).toContainText('Primary');
  expect(await page.getByTestId('st-read').count()).toBeGreaterThan(10);
  await expect(page.getByTestId('chart-lag').locator('svg')).toBeVisible();
  await expect(page.getByTestId('chart-write-latency').locator('svg')).toBeVisible();
  await expect(page.getByTestId('chart-read-latency').locator('svg')).toBeVisible();
  // Defaults: async, replica reads: writes in ~2 ms, most reads stale, the primary answers none.
  expect(await metric(page, 'write-latency-p50-ms')).toBeGreaterThan(0.5);
  expect(await metric(page, 'write-latency-p50-ms')).toBeLessThan(5);
  expect(await metric(page, 'primary-read-share')).toBe(0);
  expect(await metric(page, 'stale-read-ratio')).toBeGreaterThan(0.3);
  expect(await seriousViolations(page)).toEqual([]);
  errors.check();
});

test('only the space-time layout on screen is drawn, and it follows the window width', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, 'seed=3', 5);
  const wide = page.locator('.st-wide [data-testid="st-read"]');
  const tall = page.locator('.st-tall [data-testid="st-read"]');
  expect(await wide.count()).toBeGreaterThan(10);
  expect(await tall.count()).toBe(0);
  await page.setViewportSize({ width: 375, height: 812 });
  await expect(tall.first()).toBeVisible();
  expect(await tall.count()).toBeGreaterThan(10);
  expect(await wide.count()).toBe(0);
  await page.setViewportSize({ width: 1280, height: 900 });
  await expect(wide.first()).toBeVisible();
  expect(await tall.count()).toBe(0);
  errors.check();
});

test('URL parameters apply, and the URL follows every change', async ({ page }) => {
  const query = 'replicas=4&commit=semi_sync&acks=2&lag_ms=250&jitter_ms=40&write_rate=30&read_rate=300'
    + '&routing=sticky&window_ms=1500&token_wait_ms=400&sessions=12&apply_rate=2000&slow_factor=3'
    + '&semi_sync_timeout_ms=5000&local_commit_ms=1.5&read_ms=2';
  await openSandboxWithQuery(page, 'replication', query, 9, {
    commit: 'semi_sync', routing: 'sticky', replicas: '4', lag_ms: '250',
  });
  await expect(page.getByTestId('topology-replica-4')).toHaveCount(1);
  await expect(page.getByTestId('topology')).toContainText('semi-sync: waits for 2 receipts');
  // Changes go through the validated setter and into the URL.
  await page.getByTestId('input-lag_ms').fill('600');
  await page.getByTestId('input-lag_ms').press('Enter');
  await expect(page).toHaveURL(/lag_ms=600/);
  await page.getByTestId('input-routing').selectOption('session_token');
  await expect(page).toHaveURL(/routing=session_token/);
  await page.getByTestId('input-replicas').fill('2');
  await page.getByTestId('input-replicas').press('Enter');
  await expect(page).toHaveURL(/replicas=2/);
  await expect(page.getByTestId('topology-replica-3')).toHaveCount(0);
  // Reloading the URL reproduces the state.
  await page.reload();
  await waitForApp(page);
  await expect(page.getByTestId('input-routing')).toHaveValue('session_token');
  await expect(page.getByTestId('input-lag_ms')).toHaveValue('600');
});

test('hostile URL values fall back to defaults with a visible notice', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/replication?mode=sandbox&replicas=0&commit=%3Cscript%3Ealert(1)%3C/script%3E&acks=2.5'
    + '&lag_ms=NaN&jitter_ms=-5&write_rate=1e99&read_rate=&routing=everywhere&seed=-1&step=99&until=Infinity'
    + '&token_wait_ms=Infinity&evil=1');
  await waitForApp(page);
  const notice = page.getByTestId('url-notice');
  await expect(notice).toBeVisible();
  for (const key of ['replicas', 'commit', 'acks', 'lag_ms', 'jitter_ms', 'write_rate', 'read_rate', 'routing',
    'seed', 'step', 'until', 'token_wait_ms', 'evil']) {
    await expect(notice).toContainText(key);
  }
  await expect(page.getByTestId('input-replicas')).toHaveValue('3');
  await expect(page.getByTestId('input-commit')).toHaveValue('async');
  await expect(page.getByTestId('input-lag_ms')).toHaveValue('100');
  // Typing nonsense shows an inline message and keeps the last good value.
  for (const bad of ['0', 'abc', '', '99']) {
    await page.getByTestId('input-replicas').fill(bad);
    await page.getByTestId('input-replicas').press('Enter');
    await expect(page.getByTestId('error-replicas')).not.toBeEmpty();
  }
  await expect(page).toHaveURL(/replicas=3(&|$)/);
  await page.getByTestId('play').click();
  await page.waitForTimeout(600);
  await page.getByTestId('play').click();
  expect(await page.locator('.lab-main').innerText()).not.toMatch(/\bNaN\b|\binf(inity)?\b/i);
  errors.check();
});

test('primary routing has no violations; replicas far behind break read-your-writes; sync is never stale', async ({ page }) => {
  await open(page, 'routing=primary&write_rate=50&read_rate=400', 10);
  expect(await metric(page, 'ryw-violations')).toBe(0);
  expect(await metric(page, 'monotonic-violations')).toBe(0);
  expect(await metric(page, 'stale-read-ratio')).toBe(0);
  expect(await metric(page, 'primary-read-share')).toBe(1);
  expect(await page.locator('[data-anomaly="ryw"], [data-anomaly="monotonic"]').count()).toBe(0);

  // Async with a 1 s lag, far above the time between a session's write and its next read.
  await open(page, 'commit=async&routing=replica&lag_ms=1000&jitter_ms=0&write_rate=10&read_rate=200', 20);
  const ryw = await metric(page, 'ryw-violations');
  const reads = await metric(page, 'reads');
  expect(ryw).toBeGreaterThan(0);
  // Each of 20 sessions writes 0.5 times a second: 1 - e^-0.5 ≈ 39% of reads miss their own write.
  expect(Math.abs(ryw / reads - 0.39)).toBeLessThan(0.1);
  expect(await page.locator('[data-anomaly="ryw"]').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('anomaly-log')).toContainText('own write was missing');

  // Sync on every replica: no read after an acknowledged write is stale.
  await open(page, 'commit=sync&acks=3&routing=replica&write_rate=50&read_rate=400', 10);
  expect(await metric(page, 'stale-read-ratio')).toBe(0);
  expect(await metric(page, 'ryw-violations')).toBe(0);
  expect(await metric(page, 'write-latency-p50-ms')).toBeGreaterThan(80);

  // The fixes: sticky keeps reads monotonic, a session token keeps read-your-writes.
  await open(page, 'routing=sticky&lag_ms=200&jitter_ms=150&write_rate=20&read_rate=400', 10);
  expect(await metric(page, 'monotonic-violations')).toBe(0);
  await open(page, 'routing=session_token&lag_ms=500&write_rate=10&read_rate=200&token_wait_ms=1000', 10);
  expect(await metric(page, 'ryw-violations')).toBe(0);
  expect(await metric(page, 'read-latency-p99-ms')).toBeGreaterThan(100);
});

test('failing the primary loses acknowledged writes under async and none under sync', async ({ page }) => {
  const errors = watchErrors(page);
  const traffic = 'write_rate=1000&read_rate=50&lag_ms=100&jitter_ms=10&apply_rate=10000';
  await open(page, `commit=async&${traffic}`, 5);
  await page.getByTestId('fail-primary').click();
  await expect(page.getByTestId('metric-lost-writes')).not.toHaveAttribute('data-value', '0');
  const lost = await metric(page, 'lost-writes');
  expect(lost).toBeGreaterThan(50);
  expect(lost).toBeLessThan(200);
  await expect(page.getByTestId('action-message')).toContainText('lost');
  await expect(page.getByTestId('incident-log')).toContainText('took over');
  // Failover follows: a replica is the primary now, and two replicas remain.
  await expect(page.getByTestId('topology-primary')).not.toHaveAttribute('data-node', '0');
  await expect(page.locator('[data-testid^="topology-replica-"]')).toHaveCount(2);
  await page.getByTestId('step').click();
  expect(await metric(page, 'lost-writes')).toBe(lost);

  await open(page, `commit=sync&${traffic}`, 5);
  await page.getByTestId('fail-primary').click();
  await expect(page.getByTestId('action-message')).toContainText('0 acknowledged writes');
  expect(await metric(page, 'lost-writes')).toBe(0);
  errors.check();
});

test('stopping a replica changes the topology; semi-sync falls back and returns', async ({ page }) => {
  await open(page, 'replicas=2&commit=semi_sync&semi_sync_timeout_ms=1000&write_rate=20', 3);
  const last = page.getByTestId('topology-replica-2');
  await expect(last).toHaveAttribute('data-stopped', 'false');
  await page.getByTestId('stop-replica').click();
  await expect(last).toHaveAttribute('data-stopped', 'true');
  await expect(last).toContainText('STOPPED');
  await expect(page.getByTestId('action-message')).toContainText('Replica 2 stopped');
  await page.getByTestId('stop-replica').click();
  await expect(page.getByTestId('topology-replica-1')).toHaveAttribute('data-stopped', 'true');
  // Every replica stopped: after the 1 s timeout the primary acknowledges on its own.
  await page.getByTestId('reset-stats').click();
  for (let i = 0; i < 20; i++) await page.getByTestId('step').click();
  await expect(page.getByTestId('topology')).toContainText('FELL BACK');
  expect(await metric(page, 'write-latency-p99-ms')).toBeGreaterThan(500);
  await page.getByTestId('restart-replicas').click();
  for (let i = 0; i < 5; i++) await page.getByTestId('step').click();
  await expect(page.getByTestId('topology')).not.toContainText('FELL BACK');
  await expect(page.getByTestId('incident-log')).toContainText('semi-sync waits for receipts again');
  // The slow-replica button toggles.
  await page.getByTestId('slow-replica').click();
  await expect(page.getByTestId('topology-replica-2')).toContainText('slow');
  await expect(page.getByTestId('slow-replica')).toContainText('Heal');
});

test('compare runs two commit modes on the same workload, side by side', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/replication?mode=sandbox&write_rate=500&read_rate=200');
  await waitForApp(page);
  await page.getByTestId('compare-secs').selectOption('10');
  await expect(page.getByTestId('compare-a')).toHaveValue('async');
  await expect(page.getByTestId('compare-b')).toHaveValue('sync');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('compare-side-a')).toContainText('Asynchronous');
  await expect(page.getByTestId('compare-side-b')).toContainText('Synchronous');
  await expect(page.getByTestId('compare-side-a').locator('svg')).toBeVisible();
  await expect(page.getByTestId('compare-side-b').locator('svg')).toBeVisible();
  await expect(page.getByTestId('compare-same-workload')).toContainText('exactly the same');
  const lostA = Number(await page.getByTestId('compare-a-lost-writes').getAttribute('data-value'));
  const lostB = Number(await page.getByTestId('compare-b-lost-writes').getAttribute('data-value'));
  expect(lostA).toBeGreaterThan(0);
  expect(lostB).toBe(0);
  // Routings: the primary answers every read on one side, none on the other.
  await page.getByTestId('compare-kind').selectOption('routing');
  await page.getByTestId('compare-b').selectOption('primary');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-b-primary-read-share')).toHaveAttribute('data-value', '1', { timeout: 30_000 });
  await expect(page.getByTestId('compare-a-primary-read-share')).toHaveAttribute('data-value', '0');
  errors.check();
});

test('the lesson can be stepped and answered with the keyboard', async ({ page }) => {
  await page.goto('/labs/replication?step=1');
  await waitForApp(page);
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '1');
  await page.getByTestId('lesson-next').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/step=2/);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/step=3/);
  await expect(page.getByTestId('input-lag_ms')).toHaveValue('1000');
  // Answer the prediction with the keyboard: pick an option, lock it in.
  await page.getByTestId('predict-option-0').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('predict-option-1')).toBeChecked();
  await page.getByTestId('predict-submit').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prediction-result')).toContainText('Right');
  await at(page, 20);
  expect(await metric(page, 'ryw-violations')).toBeGreaterThan(0);
  await page.getByTestId('lesson-back').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/step=2/);
});

test('the monotonic-reads goal is met with sticky sessions', async ({ page }) => {
  await page.goto('/labs/replication?step=4');
  await waitForApp(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await page.getByTestId('input-routing').selectOption('sticky');
  await page.getByTestId('speed').selectOption('30');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 30_000 });
});

test('the read-your-writes goal is met by reading from the primary after a write', async ({ page }) => {
  await page.goto('/labs/replication?step=5');
  await waitForApp(page);
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'unmet');
  await page.getByTestId('input-routing').selectOption('primary_after_write');
  await page.getByTestId('input-window_ms').fill('1000');
  await page.getByTestId('input-window_ms').press('Enter');
  await page.getByTestId('speed').selectOption('30');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('goal-status')).toHaveAttribute('data-value', 'met', { timeout: 30_000 });
  expect(await metric(page, 'ryw-violations')).toBe(0);
  expect(await metric(page, 'primary-read-share')).toBeLessThan(0.5);
});

test('the semi-sync step stops both replicas and the primary falls back', async ({ page }) => {
  await page.goto('/labs/replication?step=7');
  await waitForApp(page);
  await page.getByTestId('speed').selectOption('5');
  await page.getByTestId('predict-option-1').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Right');
  await expect(page.getByTestId('topology-replica-1')).toHaveAttribute('data-stopped', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('topology')).toContainText('FELL BACK', { timeout: 30_000 });
  await expect(page.getByTestId('incident-log')).toContainText('fell back to async');
});

for (const scheme of ['dark', 'light']) {
  test(`the replication lab passes axe-core in ${scheme} mode on a phone, without overflow`, async ({ browser }) => {
    const page = await phonePage(browser, scheme);
    const errors = watchErrors(page);
    await page.goto('/labs/replication?mode=sandbox&lag_ms=800&until=4');
    await waitForApp(page);
    await at(page, 4);
    await page.getByTestId('stop-replica').click();
    await page.getByTestId('compare-secs').selectOption('10');
    await page.getByTestId('compare-run').click();
    await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 30_000 });
    await page.locator('details.model summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoOverflow(page);
    errors.check();
    await page.close();
  });
}

test('lesson mode in dark mode on a desktop passes axe-core', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  await page.goto('/labs/replication?step=3&until=12');
  await waitForApp(page);
  await at(page, 12);
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
});

test('step 1 keeps the stale share hidden: step 2 asks for it', async ({ page }) => {
  await page.goto('/labs/replication?step=1');
  await waitForApp(page);
  await page.getByTestId('predict-option-0').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Right');
  await expect(page.getByTestId('metric-stale-read-ratio')).toHaveAttribute('data-hidden', 'true');
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('metric-stale-read-ratio')).toHaveAttribute('data-hidden', 'true');
  await page.getByTestId('predict-option-2').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('metric-stale-read-ratio')).not.toHaveAttribute('data-value', '', { timeout: 30_000 });
});
