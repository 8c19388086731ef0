// A build hosted under a sub-path (`trunk build --release --public-url /scalelab/`, served by
// e2e/serve.mjs under /scalelab/): deep links, the lab's own pieces and every link stay under it.
// Runs only with E2E_BASE set (scripts/test.sh does, on a second build): see playwright.config.mjs.
// The service worker and the manifest stay under the sub-path too (web/offline/).
import { test, expect } from '@playwright/test';
import { watchErrors, waitForApp } from './helpers.mjs';

const base = process.env.E2E_BASE ?? '/';

test('a deep link under the sub-path loads its lab, and every link stays under the sub-path', async ({ page }) => {
  const errors = watchErrors(page);
  const outside = [];
  const code = [];
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    if (!path.startsWith(base)) outside.push(path);
    if (/\.(wasm|bin)$/.test(path)) code.push(path.slice(base.length));
  });
  await page.goto('labs/capacity');
  await waitForApp(page);
  await expect(page.getByTestId('play')).toBeVisible();
  // The deep link's lab code comes in its pack (under the sub-path too), not piece by piece.
  expect(code.map((p) => p.split('-')[0]).sort()).toEqual(['wasm/pack_capacity', 'wasm/scalelab_bg']);
  const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs.length).toBeGreaterThan(3);
  for (const href of hrefs) expect(href, 'a link under the sub-path').toMatch(new RegExp(`^${base}`));
  await page.locator('a.brand').click();
  await expect(page).toHaveURL(new RegExp(`${base}$`));
  await page.locator(`a[href="${base}labs/cache"]`).first().click();
  await waitForApp(page);
  await expect(page.getByTestId('play')).toBeVisible();
  expect(outside, 'nothing fetched outside the sub-path').toEqual([]);
  errors.check();
});

test('under the sub-path the service worker takes the sub-path as its scope, the manifest points inside it, and a lab works offline', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('labs/capacity');
  await waitForApp(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(new URL(scope).pathname).toBe(base);
  await page.waitForFunction(() => navigator.serviceWorker.controller != null);
  expect(new URL(await page.evaluate(() => navigator.serviceWorker.controller.scriptURL)).pathname).toBe(`${base}sw.js`);

  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors).toEqual([]);
  expect(new URL(manifest.url).pathname).toBe(`${base}manifest.webmanifest`);
  expect(new URL(manifest.manifest.startUrl).pathname).toBe(base);
  expect(new URL(manifest.manifest.scope).pathname).toBe(base);
  // The app's identity is its start URL: another deploy on the same host is another app.
  expect(new URL(manifest.manifest.id).pathname).toBe(base);
  for (const icon of manifest.manifest.icons) expect(new URL(icon.url).pathname.startsWith(`${base}icons/`)).toBe(true);
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute('href', /^icons\//);

  // The lab this visit opened is cached under the sub-path (the worker caches what the page
  // fetched before it took over), and opens with the network off.
  await expect.poll(() => page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith(`scalelab ${new URL('./', document.baseURI).href} `));
    const cache = names.length === 1 ? await caches.open(names[0]) : null;
    return cache ? (await cache.keys()).some((r) => /\/wasm\/split_lab_capacity-/.test(r.url)) : false;
  }), { timeout: 20_000 }).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  await expect(page.getByTestId('lab-load-error')).toHaveCount(0);
  await expect(page.getByTestId('play')).toBeVisible();
  await context.setOffline(false);
  errors.check();
});
