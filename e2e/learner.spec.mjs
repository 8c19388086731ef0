// The learner's path: home shows each lesson's progress from this browser's storage, continues
// where the learner stopped, lists the labs in the suggested order and forgets everything on
// request; the glossary explains a term in place and lists them all; a copied link reopens a run
// at the same moment and the exported CSV holds the numbers on screen.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { at, metric, registryLabs, seriousViolations, waitForApp, watchErrors } from './helpers.mjs';

test('home follows a lesson: progress, continue, reset', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await waitForApp(page);
  // The suggested path: one server first, the journey last.
  const order = await page.locator('[data-testid^="lab-card-"]').evaluateAll((cards) =>
    cards.map((c) => c.dataset.testid.replace('lab-card-', '')));
  expect(order).toEqual(registryLabs().map((l) => l.slug));
  expect(order[0]).toBe('capacity');
  expect(order.at(-1)).toBe('journey');

  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('continue-capacity')).toContainText('Start the lesson');
  await expect(page.getByTestId('lab-card-capacity')).toContainText(/8 steps · about \d+ min/);
  await page.getByTestId('continue-capacity').click();
  // The lab then writes its own state into the URL: the step stays, among other keys.
  await expect(page).toHaveURL(/\/labs\/capacity\?(.*&)?step=1(&|$)/);
  await waitForApp(page);
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '1');
  // A wrong answer still completes the step; the next step is done once opened.
  await page.getByTestId('predict-option-0').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Not quite');
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '2');

  await page.getByRole('link', { name: 'ScaleLab' }).first().click();
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0.25');
  await expect(page.getByTestId('lab-card-capacity')).toContainText('2 of 8 steps · 0 of 3 predictions right · 0 of 2 goals');
  await expect(page.getByTestId('progress-hash-ring')).toHaveAttribute('data-value', '0');
  // Progress survives a reload (it is in localStorage), and "continue" goes to the step.
  await page.reload();
  await waitForApp(page);
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0.25');
  await expect(page.getByTestId('continue-capacity')).toContainText('Continue at step 2');
  await page.getByTestId('continue-capacity').click();
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '2');

  await page.goBack();
  await waitForApp(page);
  await page.getByTestId('reset-progress').click();
  await page.getByTestId('reset-progress-cancel').click();
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0.25');
  await page.getByTestId('reset-progress').click();
  await page.getByTestId('reset-progress-confirm').click();
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('continue-capacity')).toContainText('Start the lesson');
  await page.reload();
  await waitForApp(page);
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0');
  errors.check();
});

test('a term in a lesson step shows its definition in place; the glossary lists every term', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/labs/cache?step=3');
  await waitForApp(page);
  const term = page.getByTestId('term-lru');
  const definition = page.getByTestId('term-def-lru');
  await expect(term).toHaveAttribute('aria-expanded', 'false');
  await expect(definition).toBeHidden();
  await term.click();
  await expect(term).toHaveAttribute('aria-expanded', 'true');
  await expect(definition).toBeVisible();
  await expect(definition).toContainText('Least recently used');
  await term.press('Escape');
  await expect(definition).toBeHidden();
  await term.focus();
  await page.keyboard.press('Enter');
  await expect(definition).toBeVisible();
  await definition.getByRole('link', { name: 'All terms' }).click();
  await expect(page).toHaveURL(/\/glossary#lru$/);
  await expect(page.getByTestId('glossary')).toBeVisible();
  await expect(page.locator('#lru')).toHaveClass(/current/);
  await expect(page.locator('#lru')).toBeInViewport();
  for (const name of ['Percentile (p50, p99)', 'Coefficient of variation', 'Zipf distribution', 'Erlang C', 'Quorum', 'TTL', 'Idempotent']) {
    await expect(page.getByTestId('glossary').getByText(name, { exact: true })).toBeVisible();
  }
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/');
  await waitForApp(page);
  await page.getByRole('contentinfo').getByRole('link', { name: 'Glossary' }).click();
  await expect(page.getByTestId('glossary')).toBeVisible();
  errors.check();
});

test('a copied link reopens the run at the same moment; the exported CSV holds the numbers shown; charts download', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/labs/queues?mode=sandbox&consumers=3&until=60');
  await waitForApp(page);
  await at(page, 60);
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('share-status')).toContainText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('consumers=3');
  expect(link).toContain('until=60');
  const backlog = await metric(page, 'backlog');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('scalelab-queues-60s.csv');
  const rows = readFileSync(await file.path(), 'utf8').trim().split('\n').map((r) => r.split(','));
  const header = rows[0];
  expect(header[0]).toBe('time_s');
  expect(header).toContain('backlog');
  const last = rows.at(-1);
  expect(Number(last[0])).toBe(60);
  // Every exported number is the card's own value.
  for (const [i, name] of header.entries()) {
    if (i === 0 || last[i] === '') continue;
    expect(Number(last[i]), name).toBe(await metric(page, name));
  }
  expect(rows.length).toBeGreaterThan(1);

  // Each chart downloads as a standalone SVG (title, drawing, legend) or a PNG.
  const chart = page.locator('figure.chart').first();
  const svgDownload = page.waitForEvent('download');
  await chart.getByTestId('chart-svg').click();
  const svgFile = await svgDownload;
  expect(svgFile.suggestedFilename()).toMatch(/^scalelab-queues-[a-z0-9-]+\.svg$/);
  const svg = readFileSync(await svgFile.path(), 'utf8');
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toContain('<path');
  expect(svg).toContain(await chart.locator('.chart-title').textContent());
  const pngDownload = page.waitForEvent('download');
  await chart.getByTestId('chart-png').click();
  const pngFile = await pngDownload;
  expect(pngFile.suggestedFilename()).toMatch(/\.png$/);
  const png = readFileSync(await pngFile.path());
  expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  expect(png.length).toBeGreaterThan(5_000);

  const other = await context.newPage();
  await other.goto(link);
  await waitForApp(other);
  await at(other, 60);
  expect(await metric(other, 'backlog')).toBe(backlog);

  // A prediction's answer is not in the export before the learner answers.
  await page.goto('/labs/autoscaling?step=1');
  await waitForApp(page);
  const hidden = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const lesson = readFileSync(await (await hidden).path(), 'utf8');
  expect(lesson.split('\n')[0]).not.toContain('slo-violation-s');
  expect(lesson.split('\n')[0]).toContain('replicas');
  errors.check();
  await context.close();
});
