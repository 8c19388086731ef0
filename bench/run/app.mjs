// Measures the release build of the app in headless Chromium: start-up, smoothness and memory of
// every lab page. Labs are found in the registry (src/labs/registry.rs: every ready entry), so new
// labs join without touching this file.
// Usage: node bench/run/app.mjs <dist> <port> <out.json>
// Env: BENCH_STARTUP_RUNS (default 5), BENCH_SMOOTH_S (10), BENCH_MEMORY_SIM_S (1200),
//      BENCH_MEMORY_WALL_S (cap, 180), BENCH_LABS (comma-separated slugs, default all).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, percentile, serve, sleep } from './common.mjs';
import { TRACE_CATEGORIES, frameCpu } from './trace.mjs';

const [dist, port, out] = process.argv.slice(2);
if (!dist || !port || !out) {
  console.error('usage: node bench/run/app.mjs <dist> <port> <out.json>');
  process.exit(2);
}
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const SMOOTH_S = Number(process.env.BENCH_SMOOTH_S ?? 10);
const MEMORY_SIM_S = Number(process.env.BENCH_MEMORY_SIM_S ?? 1200);
const MEMORY_WALL_S = Number(process.env.BENCH_MEMORY_WALL_S ?? 180);
const probeSource = readFileSync(join(ROOT, 'bench', 'run', 'probe.js'), 'utf8');

/** The ready labs of the registry (src/labs/registry.rs), in its order. */
export function labRoutes() {
  const source = readFileSync(join(ROOT, 'src', 'labs', 'registry.rs'), 'utf8');
  const slugs = [...source.matchAll(/slug: "([a-z0-9-]+)",[\s\S]*?status: LabStatus::(Ready|ComingSoon)/g)]
    .filter((m) => m[2] === 'Ready')
    .map((m) => m[1]);
  const only = process.env.BENCH_LABS?.split(',').filter(Boolean);
  return only ? slugs.filter((s) => only.includes(s)) : slugs;
}

const say = (line) => console.log(`    ${line}`);

async function openLab(browser, base, slug) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript({ content: probeSource });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  await page.goto(`${base}/labs/${slug}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__probe?.interactive !== null, null, { timeout: 30_000 });
  return { context, page, errors };
}

/** Navigation to interactive, wasm fetch and instantiation, for one fresh load (empty cache). */
async function startupOnce(browser, base, slug) {
  const { context, page, errors } = await openLab(browser, base, slug);
  const r = await page.evaluate(() => {
    const p = window.__probe;
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const wasmRes = res.find((e) => e.name.endsWith('.wasm'));
    const jsRes = res.filter((e) => e.name.endsWith('.js'));
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const call = p.wasm.find((c) => c.end !== null);
    return {
      interactive_ms: p.interactive,
      interactive_metric: p.interactiveMetric,
      app_started_ms: p.started,
      first_contentful_paint_ms: fcp ? fcp.startTime : null,
      dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
      load_event_ms: nav ? nav.loadEventEnd : null,
      html_response_end_ms: nav ? nav.responseEnd : null,
      wasm_api: call ? call.api : null,
      wasm_call_start_ms: call ? call.start : null,
      wasm_instantiated_ms: call ? call.end : null,
      wasm_instantiate_ms: call ? call.end - call.start : null,
      wasm_fetch_start_ms: wasmRes ? wasmRes.startTime : null,
      wasm_response_end_ms: wasmRes ? wasmRes.responseEnd : null,
      wasm_transfer_bytes: wasmRes ? wasmRes.transferSize : null,
      js_response_end_ms: jsRes.length ? Math.max(...jsRes.map((e) => e.responseEnd)) : null,
      // After the module is instantiated: wasm-bindgen's start (main: mount the app) until Trunk's event.
      main_ms: call && p.started !== null ? p.started - call.end : null,
      longtasks: p.longtasks,
    };
  });
  await context.close();
  return { ...r, errors };
}

async function startup(browser, base, slug) {
  const runs = [];
  for (let i = 0; i < STARTUP_RUNS; i++) runs.push(await startupOnce(browser, base, slug));
  const med = (k) => percentile(runs.map((r) => r[k]).filter((v) => v !== null), 0.5);
  const keys = ['interactive_ms', 'app_started_ms', 'first_contentful_paint_ms', 'wasm_instantiate_ms',
    'wasm_fetch_start_ms', 'wasm_response_end_ms', 'wasm_instantiated_ms', 'main_ms', 'js_response_end_ms',
    'html_response_end_ms'];
  const median = Object.fromEntries(keys.map((k) => [k, med(k)]));
  say(`start-up ${slug}: interactive ${median.interactive_ms?.toFixed(0)} ms (median of ${runs.length}), `
    + `wasm instantiate ${median.wasm_instantiate_ms?.toFixed(0)} ms`);
  return { runs, median, interactive_metric: runs[0]?.interactive_metric,
    errors: [...new Set(runs.flatMap((r) => r.errors))] };
}

async function speeds(page) {
  const values = await page.$$eval('[data-testid="speed"] option', (os) => os.map((o) => Number(o.value)));
  const current = Number(await page.inputValue('[data-testid="speed"]'));
  return { current, fastest: Math.max(...values) };
}

/** Reads the app's frame-cost buffer (src/components/frame_timing.rs). */
async function frameTimes(page) {
  return page.evaluate(() => {
    const f = window.wasmBindings?.scalelabFrameTimes;
    return f ? Array.from(f()) : null;
  });
}

/** Plays the lab at `speed` for SMOOTH_S seconds of wall time; frame costs and long tasks. */
async function smoothOnce(browser, base, slug, speedChoice) {
  const { context, page, errors } = await openLab(browser, base, slug);
  const { current, fastest } = await speeds(page);
  const speed = speedChoice === 'fastest' ? fastest : current;
  if (speed !== current) await page.selectOption('[data-testid="speed"]', String(speed));
  const before = await frameTimes(page);
  let seen = before ? before[0] : 0;
  const work = [];
  const total = [];
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  const t0 = await page.evaluate(() => {
    window.__probe.measureFrames = true;
    window.__probe.mainFrames.length = 0;
    window.__probe.rafFramesAtStart = window.__probe.rafFrames;
    document.querySelector('[data-testid="play"]').click();
    return performance.now();
  });
  const simStart = Number(await page.getAttribute('[data-testid="sim-time"]', 'data-value'));
  let lost = 0;
  const pull = async () => {
    const flat = await frameTimes(page);
    if (!flat) return;
    const recorded = flat[0];
    const kept = (flat.length - 1) / 2;
    const fresh = recorded - seen;
    if (fresh > kept) lost += fresh - kept;
    for (let i = Math.max(0, kept - fresh); i < kept; i++) {
      work.push(flat[1 + 2 * i]);
      total.push(flat[2 + 2 * i]);
    }
    seen = recorded;
  };
  const end = Date.now() + SMOOTH_S * 1000;
  while (Date.now() < end) {
    await sleep(Math.min(1000, end - Date.now()));
    await pull();
  }
  const probe = await page.evaluate((start) => {
    const p = window.__probe;
    p.measureFrames = false;
    const t1 = performance.now();
    document.querySelector('[data-testid="play"]').click();
    return {
      t1,
      longtasks: p.longtasks.filter((e) => e.start >= start && e.start < t1),
      main: p.mainFrames.map((f) => f.busy),
      raf_frames: p.rafFrames - p.rafFramesAtStart,
    };
  }, t0);
  const cpu = frameCpu(JSON.parse((await browser.stopTracing()).toString('utf8')));
  const simEnd = Number(await page.getAttribute('[data-testid="sim-time"]', 'data-value'));
  await context.close();
  const wall = (probe.t1 - t0) / 1000;
  const stats = (xs) => ({ n: xs.length, p50: percentile(xs, 0.5), p95: percentile(xs, 0.95),
    p99: percentile(xs, 0.99), max: xs.length ? Math.max(...xs) : null });
  const r = {
    speed, wall_s: wall, sim_advanced_s: simEnd - simStart, sim_rate: (simEnd - simStart) / wall,
    fps: probe.raf_frames / wall,
    long_tasks: probe.longtasks.length, long_task_max_ms: probe.longtasks.length
      ? Math.max(...probe.longtasks.map((e) => e.duration)) : 0,
    long_task_list: probe.longtasks,
    frame_total_ms: stats(total), frame_work_ms: stats(work), main_thread_frame_ms: stats(probe.main),
    frames_lost: lost, instrumented: before !== null, errors, cpu,
  };
  say(`smooth ${slug} ${speed}x: p50/p95 ${r.frame_total_ms.p50?.toFixed(2)}/${r.frame_total_ms.p95?.toFixed(2)} ms`
    + ` (main thread ${r.main_thread_frame_ms.p95?.toFixed(2)} p95; CPU: script ${cpu?.script_cpu_ms.p95?.toFixed(2)},`
    + ` whole frame ${cpu?.frame_cpu_ms.p95?.toFixed(2)} p95, wall/CPU ${cpu?.wall_over_cpu?.toFixed(2)}),`
    + ` ${r.long_tasks} long tasks, ${r.fps.toFixed(0)} fps`);
  return r;
}

/** Plays the lab at its fastest speed until MEMORY_SIM_S simulated seconds; memory samples. */
async function memory(browser, base, slug) {
  const { context, page, errors } = await openLab(browser, base, slug);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const { fastest } = await speeds(page);
  await page.selectOption('[data-testid="speed"]', String(fastest));
  const samples = [];
  const sample = async (wallStart) => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const m = await page.evaluate(() => ({
      sim_s: Number(document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-value')),
      wasm_bytes: window.__scalelabWasm?.memory?.buffer?.byteLength ?? null,
      dom_nodes: document.getElementsByTagName('*').length,
    }));
    samples.push({ wall_s: (Date.now() - wallStart) / 1000, ...m, js_heap_used: heap.usedSize,
      js_heap_total: heap.totalSize });
  };
  const start = Date.now();
  await sample(start);
  await page.click('[data-testid="play"]');
  while ((Date.now() - start) / 1000 < MEMORY_WALL_S) {
    await sleep(500);
    await sample(start);
    if (samples[samples.length - 1].sim_s >= MEMORY_SIM_S) break;
  }
  await page.click('[data-testid="play"]');
  await sample(start);
  await context.close();
  // Flat after warm-up: the first half of the run (the 10 simulated minutes by default)
  // is the warm-up, in which histories fill and the allocator reaches its high-water mark; the
  // second half must add nothing. A history that grows with time grows in both halves.
  const warm = samples.find((m) => m.sim_s >= MEMORY_SIM_S / 2) ?? samples[Math.floor(samples.length / 2)];
  const last = samples[samples.length - 1];
  const r = {
    speed: fastest, reached_sim_s: last.sim_s, wall_s: last.wall_s, samples,
    wasm_growth_after_warmup_bytes: last.wasm_bytes - warm.wasm_bytes,
    js_heap_growth_after_warmup_bytes: last.js_heap_used - warm.js_heap_used,
    warmup_sample: samples.indexOf(warm), errors,
  };
  say(`memory ${slug}: ${r.reached_sim_s.toFixed(0)} s simulated in ${r.wall_s.toFixed(1)} s, wasm `
    + `${(last.wasm_bytes / 1048576).toFixed(1)} MiB (+${r.wasm_growth_after_warmup_bytes} B after warm-up), JS heap `
    + `${(last.js_heap_used / 1048576).toFixed(2)} MiB (${r.js_heap_growth_after_warmup_bytes >= 0 ? '+' : ''}`
    + `${(r.js_heap_growth_after_warmup_bytes / 1024).toFixed(0)} KiB)`);
  return r;
}

const server = await serve(dist, Number(port));
const browser = await launch();
const result = { labs: {}, browser_version: browser.version(),
  settings: { STARTUP_RUNS, SMOOTH_S, MEMORY_SIM_S, MEMORY_WALL_S } };
try {
  const labs = labRoutes();
  result.lab_routes = labs;
  for (const slug of labs) {
    const lab = {};
    lab.startup = await startup(browser, server.url, slug);
    lab.smooth_default = await smoothOnce(browser, server.url, slug, 'default');
    lab.smooth_fastest = await smoothOnce(browser, server.url, slug, 'fastest');
    lab.memory = await memory(browser, server.url, slug);
    result.labs[slug] = lab;
    writeFileSync(out, JSON.stringify(result, null, 2));
  }
} finally {
  await browser.close();
  server.stop();
}
writeFileSync(out, JSON.stringify(result, null, 2));
