// Takes screenshots of pages at desktop and phone widths, light and dark, for a person to look at.
// Usage: node scripts/screenshots.mjs <base-url> <out-dir> <path> [<path> ...]
// Needs Debian's Chromium (/usr/bin/chromium) and the node packages (npm ci).
import { chromium } from '@playwright/test';

const [base, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const sizes = [['desktop', 1280, 900], ['phone', 375, 812]];
for (const [i, path] of paths.entries()) {
  for (const [name, width, height] of sizes) {
    for (const scheme of ['light', 'dark']) {
      const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
      page.on('pageerror', (e) => console.error(`${path}: ${e}`));
      page.on('console', (m) => m.type() === 'error' && console.error(`${path}: ${m.text()}`));
      await page.goto(base + path);
      await page.waitForSelector('.site-header .brand');
      await page.waitForFunction(() => !document.querySelector('[data-testid="placement-progress"]'), null, { timeout: 30000 }).catch(() => {});
      await page.waitForTimeout(Number(process.env.WAIT_MS ?? 800));
      const file = `${out}/${i}-${name}-${scheme}.png`;
      await page.screenshot({ path: file, fullPage: process.env.FULL !== '0' });
      console.log(file);
      await page.close();
    }
  }
}
await browser.close();
