// Profiles one lab while it plays: a CPU profile (CDP Profiler) of the main thread, summed by
// function (self time), plus the share of the browser's own rendering work from a trace.
// Usage: node bench/run/profile.mjs <dist> <port> <slug> [speed] [seconds] [out.json]
// For readable wasm function names, point <dist> at a build whose wasm keeps its name section
// (scripts/bench-profile-build.sh makes one from the release build).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, serve, sleep } from './common.mjs';

const [dist, port, slug, speedArg = 'default', secondsArg = '5', out] = process.argv.slice(2);
if (!dist || !port || !slug) {
  console.error('usage: node bench/run/profile.mjs <dist> <port> <slug> [speed|default|fastest] [seconds] [out.json]');
  process.exit(2);
}
const seconds = Number(secondsArg);
const probeSource = readFileSync(join(ROOT, 'bench', 'run', 'probe.js'), 'utf8');

const server = await serve(dist, Number(port));
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript({ content: probeSource });
  const page = await context.newPage();
  await page.goto(`${server.url}/labs/${slug}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__probe?.interactive !== null, null, { timeout: 30_000 });
  if (speedArg !== 'default') {
    const values = await page.$$eval('[data-testid="speed"] option', (os) => os.map((o) => o.value));
    const pick = speedArg === 'fastest' ? values.map(Number).sort((a, b) => b - a)[0] : speedArg;
    await page.selectOption('[data-testid="speed"]', String(pick));
  }
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await page.click('[data-testid="play"]');
  await cdp.send('Profiler.start');
  await sleep(seconds * 1000);
  const { profile } = await cdp.send('Profiler.stop');
  await page.click('[data-testid="play"]');

  // Self time per function: samples x their time deltas.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    totalUs += dt;
    const n = byId.get(id);
    const name = n.callFrame.functionName || `(anonymous ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`;
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]);
  const idle = self.get('(idle)') ?? 0;
  const busy = totalUs - idle;
  console.log(`${slug} at ${speedArg}: ${(totalUs / 1e6).toFixed(1)} s profiled, main thread busy ${(100 * busy / totalUs).toFixed(1)}%`);
  console.log('self ms   % busy  function');
  for (const [name, us] of rows.slice(0, 30)) {
    if (name === '(idle)') continue;
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ${(100 * us / busy).toFixed(1).padStart(6)}%  ${name.slice(0, 110)}`);
  }
  if (out) writeFileSync(out, JSON.stringify({ slug, speed: speedArg, seconds, total_us: totalUs, busy_us: busy,
    self: rows.map(([name, us]) => ({ name, us })) }, null, 2));
  await context.close();
} finally {
  await browser.close();
  server.stop();
}
