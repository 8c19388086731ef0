// Shared helpers for the end-to-end specs: console-error capture, axe-core, metric reading, the
// simulated clock, URL checks and phone layout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from '@playwright/test';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Collects console errors and uncaught page errors (but console errors matching one of `expected`,
 * regular expressions a test provokes on purpose); call `.check()` at the end of a test. */
export function watchErrors(page, expected = []) {
  const errors = [];
  const ok = (text) => expected.some((re) => re.test(text));
  page.on('console', (msg) => { if (msg.type() === 'error' && !ok(msg.text())) errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  return { errors, check: () => expect(errors, errors.join('\n')).toEqual([]) };
}

/** Waits until the wasm app has mounted (the header brand is rendered) and, on a lab's page,
 * the lab's own code has loaded (its loading state is gone). */
export async function waitForApp(page) {
  await expect(page.locator('.site-header .brand')).toBeVisible();
  await expect(page.getByTestId('lab-loading')).toHaveCount(0);
}

/** Runs axe-core and returns the serious and critical violations. */
export async function seriousViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Reads a metric's raw number from its data-value attribute. */
export async function metric(page, name) {
  const el = page.getByTestId(`metric-${name}`);
  await expect(el).toHaveAttribute('data-value', /.+/);
  return Number(await el.getAttribute('data-value'));
}

/** Waits until the clock shows `secs` simulated seconds (a fast-forward from `until=` is done). */
export async function at(page, secs, timeout = 30_000) {
  await expect(page.getByTestId('sim-time')).toHaveAttribute('data-value', String(secs), { timeout });
  await expect(page.getByTestId('fast-forward')).toHaveCount(0);
}

/** Checks that every `key=value` pair of `query` (joined by `&`) stands in the page's URL. */
export async function expectQueryInUrl(page, query) {
  for (const pair of query.split('&')) await expect(page).toHaveURL(new RegExp(`[?&]${pair.replace('.', '\\.')}(&|$)`));
}

/**
 * Opens `/labs/<lab>?<query>&seed=<seed>&mode=sandbox` and checks that every value applied: no
 * notice, each `input-<key>` shows `inputs[key]`, the seed field shows the seed, and the URL still
 * carries every pair of the query, the seed and the mode.
 */
export async function openSandboxWithQuery(page, lab, query, seed, inputs) {
  await page.goto(`/labs/${lab}?${query}&seed=${seed}&mode=sandbox`);
  await waitForApp(page);
  await expect(page.getByTestId('url-notice')).toHaveCount(0);
  for (const [key, value] of Object.entries(inputs)) await expect(page.getByTestId(`input-${key}`)).toHaveValue(value);
  await expect(page.getByTestId('seed')).toHaveValue(String(seed));
  await expectQueryInUrl(page, query);
  await expect(page).toHaveURL(new RegExp(`seed=${seed}`));
  await expect(page).toHaveURL(/mode=sandbox/);
}

/** Opens a new page at phone size (375 × 812) in the `scheme` colour scheme (`dark` or `light`). */
export async function phonePage(browser, scheme) {
  return browser.newPage({ viewport: { width: 375, height: 812 }, colorScheme: scheme });
}

/** Checks that nothing overflows the window's width (only scrollable tables may scroll inside). */
export async function expectNoOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/**
 * The labs of the registry (src/labs/registry.rs), in its order: `{ slug, ready }` per entry.
 * The one list of labs: tests iterate it instead of naming routes.
 */
export function registryLabs() {
  const source = readFileSync(new URL('../src/labs/registry.rs', import.meta.url), 'utf8');
  return [...source.matchAll(/slug: "([a-z0-9-]+)",[\s\S]*?status: LabStatus::(Ready|ComingSoon)/g)]
    .map((m) => ({ slug: m[1], ready: m[2] === 'Ready' }));
}
