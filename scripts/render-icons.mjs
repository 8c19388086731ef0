// Renders the app icons in public/ from public/favicon.svg (run once by hand when the logo
// changes; the PNGs are committed): the manifest's 192 and 512 px icons (transparent, the logo
// filling the square), a 512 px maskable icon (opaque, the logo inside the central safe circle of
// 40% radius that any launcher mask keeps) and the 180 px apple-touch-icon (opaque: iOS fills
// transparency with black and rounds the corners itself).
// Usage: node scripts/render-icons.mjs   (needs Debian's Chromium and the node packages)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'public', 'favicon.svg'), 'utf8');
// The page background of the light theme (style/main.css, --surface): behind the opaque icons.
const SURFACE = '#ffffff';

// [file, canvas px, logo px, background or null for transparent]
const ICONS = [
  ['icon-192.png', 192, 192, null],
  ['icon-512.png', 512, 512, null],
  // The logo reaches 15.7 of its 16 units from the centre: 384 px keeps it within 188 px of the
  // centre, inside the 204.8 px safe circle.
  ['icon-maskable-512.png', 512, 384, SURFACE],
  ['apple-touch-icon.png', 180, 140, SURFACE],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
for (const [file, size, logo, background] of ICONS) {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  const sized = svg.replace('<svg ', `<svg width="${logo}" height="${logo}" `);
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0;width:${size}px;height:${size}px;
    display:flex;align-items:center;justify-content:center;background:${background ?? 'transparent'}">${sized}</body></html>`);
  await page.screenshot({ path: join(root, 'public', file), omitBackground: !background });
  console.log(`public/${file} (${size} px)`);
  await page.close();
}
await browser.close();
