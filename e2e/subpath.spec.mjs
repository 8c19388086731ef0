// A build hosted under a sub-path (`trunk build --release --public-url /scalelab/`, served by
// e2e/serve.mjs under /scalelab/): deep links, the lab's own pieces and every link stay under it.
// Runs only with E2E_BASE set (scripts/test.sh does, on a second build): see playwright.config.mjs.
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
