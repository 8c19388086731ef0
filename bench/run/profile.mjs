// Profiles one lab while it plays: a CPU profile (CDP Profiler) of the main thread, summed by
// function (self time) with the heaviest caller chains, then a trace of the same play summed per
// main-thread event (style, layout, paint, HTML parsing: the browser's own rendering work).
// Usage: node bench/run/profile.mjs <dist> <port> <slug> [speed] [seconds] [out.json]
// For readable wasm function names, point <dist> at a build whose wasm keeps its name section
// (bench/run/profile-build.sh makes one from the release build: names in the main module only).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, percentile, serve, sleep } from './common.mjs';

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
  // PROFILE_REDUCED_MOTION=1: as a learner who asked for reduced motion (CSS animations off).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
    reducedMotion: process.env.PROFILE_REDUCED_MOTION === '1' ? 'reduce' : 'no-preference' });
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
  // Where the top functions are called from (the heaviest caller chains, 4 frames up).
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nameOf = (n) => n.callFrame.functionName || '(anonymous)';
  const chains = new Map();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (!rows.slice(0, 6).some(([name]) => name === nameOf(n)) || nameOf(n).startsWith('(')) return;
    const chain = [];
    for (let p = parent.get(id); p !== undefined && chain.length < 4; p = parent.get(p)) chain.push(nameOf(byId.get(p)).slice(0, 70));
    const key = `${nameOf(n)} <- ${chain.join(' <- ')}`;
    chains.set(key, (chains.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  console.log('heaviest caller chains:');
  for (const [key, us] of [...chains.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`);
  }
  // The browser's side: a trace of the same play, durations summed per main-thread event.
  await page.click('[data-testid="play"]');
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await sleep(seconds * 1000);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  await page.click('[data-testid="play"]');
  const events = trace.traceEvents ?? trace;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const kinds = ['FireAnimationFrame', 'FunctionCall', 'RunMicrotasks', 'ParseHTML', 'UpdateLayoutTree',
    'Layout', 'PrePaint', 'Paint', 'Layerize', 'RasterTask', 'MajorGC', 'MinorGC', 'V8.GC_SCAVENGER', 'HitTest',
    'TimerFire', 'EventDispatch', 'ScheduleStyleRecalculation', 'InvalidateLayout', 'Commit', 'UpdateLayer'];
  const sums = new Map();
  const cpu = new Map();
  const each = new Map();
  for (const e of events) {
    if (!main || e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || !kinds.includes(e.name)) continue;
    sums.set(e.name, (sums.get(e.name) ?? 0) + (e.dur ?? 0));
    cpu.set(e.name, (cpu.get(e.name) ?? 0) + (e.tdur ?? e.dur ?? 0));
    each.set(e.name, [...(each.get(e.name) ?? []), (e.tdur ?? e.dur ?? 0) / 1000]);
  }
  // Wall time (dur) against the thread's CPU time (tdur): above 1 when other processes took the
  // CPU from the renderer (a loaded machine stretches every wall-clock number by about this).
  console.log(`trace (${seconds} s, main thread, inclusive; FireAnimationFrame contains the frame's script):`);
  console.log('  wall ms    cpu ms  wall/cpu   count  cpu p50/p95/max ms  event');
  for (const [name, us] of [...sums.entries()].sort((a, b) => b[1] - a[1])) {
    const c = cpu.get(name) ?? 0;
    const xs = each.get(name) ?? [];
    const q = (p) => (percentile(xs, p) ?? 0).toFixed(2);
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ${(c / 1000).toFixed(1).padStart(9)} ${(c ? us / c : 0).toFixed(2).padStart(9)} ${String(xs.length).padStart(7)}  ${`${q(0.5)}/${q(0.95)}/${q(1)}`.padStart(18)}  ${name}`);
  }
  if (out) writeFileSync(out, JSON.stringify({ slug, speed: speedArg, seconds, total_us: totalUs, busy_us: busy,
    self: rows.map(([name, us]) => ({ name, us })) }, null, 2));
  await context.close();
} finally {
  await browser.close();
  server.stop();
}
