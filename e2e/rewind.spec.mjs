// Rewind: every time-driven lab has a timeline under its transport; dragging it back shows exactly
// the moment a fresh run reaches, and the run's inputs (faults, settings changed) travel in the
// URL, so a copied link reproduces the whole run, not only its settings.
import { test, expect } from '@playwright/test';
import { at, metric, waitForApp, watchErrors } from './helpers.mjs';

const TIME_DRIVEN = ['cache', 'replication', 'circuit-breaker', 'load-balancing', 'rate-limiting', 'queues',
  'sharding', 'autoscaling', 'journey'];

const AUTOSCALING = ['replicas', 'ready-replicas', 'desired-replicas', 'utilization', 'p99-ms', 'error-rate', 'cost',
  'slo-violation-s', 'scale-events', 'cold-starts'];

/** Moves the timeline to `secs` as a drag that lets go there does. */
async function rewind(page, secs) {
  await page.getByTestId('timeline').evaluate((el, t) => {
    el.value = String(t);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, secs);
}

async function clock(page) {
  await expect(page.getByTestId('fast-forward')).toHaveCount(0);
  return Number(await page.getByTestId('sim-time').getAttribute('data-value'));
}

async function metrics(page, names) {
  const values = {};
  for (const name of names) values[name] = await metric(page, name);
  return values;
}

/** Plays for about `ms` of wall time, then pauses. */
async function playFor(page, ms) {
  await page.getByTestId('play').click();
  await page.waitForTimeout(ms);
  await page.getByTestId('play').click();
}

test('autoscaling: rewound to a moment, the lab shows what a fresh run shows there; a copied link replays the faults', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/labs/autoscaling?mode=sandbox&traffic=steady&base_rps=300&noise=0&until=600');
  await waitForApp(page);
  await at(page, 600);
  await expect(page.getByTestId('timeline')).toHaveJSProperty('value', '600');

  await page.getByTestId('kill-instance').click();
  await expect(page.getByTestId('action-message')).toContainText('an instance died');
  await playFor(page, 700);
  await page.getByTestId('input-target').fill('50');
  await page.getByTestId('input-target').press('Enter');
  await playFor(page, 700);
  const end = await clock(page);
  const atEnd = await metrics(page, AUTOSCALING);
  // The inputs are in the URL with their times, and labelled on the timeline.
  await expect(page).toHaveURL(/inputs=0:target=70;600:kill_instance;[\d.]+:target=50/);
  const events = page.getByTestId('timeline-event');
  await expect(events).toHaveCount(2);
  await expect(events.nth(0)).toContainText('Kill instance');
  await expect(events.nth(1)).toContainText('50');
  const changedAt = Number(await events.nth(1).getAttribute('data-value'));
  expect(changedAt).toBeGreaterThan(600);
  expect(end).toBeGreaterThan(changedAt);

  // Back to a moment between the two inputs.
  const mid = Math.round((600 + changedAt) / 2);
  await rewind(page, mid);
  await at(page, mid);
  await expect(page.getByTestId('input-target')).toHaveValue('70');
  const atMid = await metrics(page, AUTOSCALING);
  expect(atMid).not.toEqual(atEnd);
  await expect(events.nth(1)).toHaveClass(/ahead/);

  // A fresh page run to that moment from the link shows the same numbers.
  const fresh = await context.newPage();
  await fresh.goto(`${page.url()}&until=${mid}`);
  await waitForApp(fresh);
  await at(fresh, mid);
  expect(await metrics(fresh, AUTOSCALING)).toEqual(atMid);
  await fresh.close();

  // Played on to the end, the run is the one recorded: the change ahead is applied at its time.
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('End');
  await at(page, end);
  await expect(page.getByTestId('input-target')).toHaveValue('50');
  expect(await metrics(page, AUTOSCALING)).toEqual(atEnd);

  // A copied link reproduces the whole run, faults included.
  await page.getByTestId('copy-link').click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('kill_instance');
  const other = await context.newPage();
  await other.goto(link);
  await waitForApp(other);
  await at(other, end);
  expect(await metrics(other, AUTOSCALING)).toEqual(atEnd);
  await expect(other.getByTestId('timeline-event')).toHaveCount(2);

  // Rewound, a new input branches the run: the change that was ahead is gone.
  await rewind(page, mid);
  await at(page, mid);
  await page.getByTestId('spike-now').click();
  await expect(events).toHaveCount(2);
  await expect(events.nth(1)).toContainText('Spike now');
  await expect(page).not.toHaveURL(/target=50/);
  errors.check();
});

test('every time-driven lab has a timeline that goes back to an earlier moment', async ({ page }) => {
  const errors = watchErrors(page);
  for (const slug of TIME_DRIVEN) {
    await page.goto(`/labs/${slug}?mode=sandbox&until=4`);
    await waitForApp(page);
    await at(page, 4);
    const timeline = page.getByTestId('timeline');
    await expect(timeline, slug).toHaveAttribute('max', '4');
    await rewind(page, 1.5);
    await at(page, 1.5);
    await expect(timeline, slug).toHaveJSProperty('value', '1.5');
    // Each lab says what its last action did (the breaker's beside its call buttons).
    const message = page.locator('[data-testid="action-message"], [data-testid="send-message"]');
    await expect(message, slug).toContainText('Back to');
  }
  errors.check();
});

test('hostile inputs in a link are refused with a notice and the rest still replay', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/cache?mode=sandbox&until=3&inputs=' + encodeURIComponent(
    'x:crash_cache;-1:crash_cache;1e999:crash_cache;2:<script>;2:capacity=NaN;2:fast_forward=1;1:crash_cache'));
  await waitForApp(page);
  await at(page, 3);
  const notice = page.getByTestId('url-notice');
  await expect(notice).toContainText('inputs');
  await expect(notice).toContainText('capacity');
  await expect(page.getByTestId('timeline-event')).toHaveCount(1);
  await expect(page.getByTestId('timeline-event')).toContainText('Crash cache');
  await expect(page).toHaveURL(/inputs=1:crash_cache(&|$)/);
  errors.check();
});
