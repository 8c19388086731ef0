// Runs bench/page (the wasm workloads and the JavaScript peers) in headless Chromium and writes
// what the page measured. Usage: node bench/run/browser.mjs <page dir> <port> <out.json> [query]
import { writeFileSync } from 'node:fs';
import { launch, serve } from './common.mjs';

const [dir, port, out, query = ''] = process.argv.slice(2);
if (!dir || !port || !out) {
  console.error('usage: node bench/run/browser.mjs <page dir> <port> <out.json> [query]');
  process.exit(2);
}

const server = await serve(dir, Number(port));
const browser = await launch();
try {
  const page = await browser.newPage();
  page.on('console', (msg) => console.log(`    ${msg.text()}`));
  page.on('pageerror', (err) => console.error(`    page error: ${err}`));
  await page.goto(`${server.url}/index.html${query ? `?${query}` : ''}`);
  await page.waitForFunction(() => window.__bench?.done, null, { timeout: 20 * 60_000, polling: 500 });
  const bench = await page.evaluate(() => window.__bench);
  if (bench.error) throw new Error(bench.error);
  bench.results.browser_version = browser.version();
  writeFileSync(out, JSON.stringify(bench.results, null, 2));
} finally {
  await browser.close();
  server.stop();
}
