// Measures the release build of the app in headless Chromium: start-up of home (`/`) and of a deep
// link to every lab, on localhost and on an emulated slow connection; smoothness and memory of
// every lab page. Labs are found in the registry (src/labs/registry.rs: every ready entry), so new
// labs join without touching this file.
// The build is split (scripts/build-wasm.mjs): a main wasm (router, home, runtime) and, per lab,
// its own piece plus shared chunks (dist/wasm/routes.json), each instantiated on its own; a deep
// link fetches a lab's pieces as one pack (wasm/pack_<slug>-<hash>.bin), moving to a lab inside
// the app fetches them one by one. The start-up numbers cover all of them.
// Usage: node bench/run/app.mjs <dist> <port> <out.json>
// Env: BENCH_STARTUP_RUNS (default 5), BENCH_SLOW_RUNS (slow-connection loads per route, default 3;
//      0 skips them), BENCH_SLOW_LATENCY_MS (150), BENCH_SLOW_DOWN_BPS (bytes/s, 200000 = 1.6 Mbps),
//      BENCH_SLOW_UP_BPS (bytes/s, 93750 = 750 kbps), BENCH_SMOOTH_S (10), BENCH_MEMORY_SIM_S (1200),
//      BENCH_MEMORY_WALL_S (cap, 180), BENCH_LABS (comma-separated slugs, default all).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, percentile, serve, sleep } from './common.mjs';
import { TRACE_CATEGORIES, frameCpu } from './trace.mjs';

const [dist, port, out] = process.argv.slice(2);
if (!dist || !port || !out) {
  console.error('usage: node bench/run/app.mjs <dist> <port> <out.json>');
  process.exit(2);
}
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const SLOW_RUNS = Number(process.env.BENCH_SLOW_RUNS ?? 3);
const SLOW = {
  offline: false,
  latency: Number(process.env.BENCH_SLOW_LATENCY_MS ?? 150),
  downloadThroughput: Number(process.env.BENCH_SLOW_DOWN_BPS ?? 200_000),
  uploadThroughput: Number(process.env.BENCH_SLOW_UP_BPS ?? 93_750),
};
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

/** The build's file lists (dist/wasm/routes.json): the main pieces, and each lab's own. */
const routesJson = existsSync(join(dist, 'wasm', 'routes.json'))
  ? JSON.parse(readFileSync(join(dist, 'wasm', 'routes.json'), 'utf8')) : null;

/**
 * Opens `path` in a fresh browser context (empty cache) and waits until the probe says it is
 * interactive. `throttle`: CDP network conditions for the page (slow connection), cache disabled.
 * With `tolerate`, a page that never becomes interactive is returned (timedOut) instead of failing.
 */
async function openPage(browser, base, path, { throttle = null, tolerate = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript({ content: probeSource });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  const encodings = {};
  page.on('response', (response) => {
    const name = response.url().split('/').pop();
    if (/\.(wasm|js|bin)$/.test(name)) encodings[name] = response.headers()['content-encoding'] ?? 'identity';
  });
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', throttle);
  }
  let timedOut = false;
  await page.goto(`${base}${path}`, { waitUntil: 'load', timeout: 60_000 });
  try {
    await page.waitForFunction(() => window.__probe?.interactive !== null, null, { timeout: 30_000 });
  } catch (e) {
    if (!tolerate) throw e;
    timedOut = true;
    errors.push(`not interactive within 30 s of the load event: ${String(e).split('\n')[0]}`);
  }
  return { context, page, errors, encodings, timedOut };
}

const openLab = (browser, base, slug) => openPage(browser, base, `/labs/${slug}`);

/**
 * Navigation to interactive, and every wasm piece's fetch and instantiation, for one fresh load
 * (empty cache) of `path`; `throttle` as in openPage.
 */
async function startupOnce(browser, base, path, throttle = null) {
  const { context, page, errors, encodings, timedOut } = await openPage(browser, base, path, { throttle, tolerate: true });
  const r = await page.evaluate(() => {
    const p = window.__probe;
    const base = (url) => (url ?? '').split('/').pop();
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    // The wasm files and the deep link's pack (one file holding the lab's pieces).
    const isPack = (e) => /\/pack_[^/]+\.bin$/.test(e.name);
    const wasmRes = res.filter((e) => e.name.endsWith('.wasm') || isPack(e));
    const mainRes = wasmRes.find((e) => base(e.name).startsWith('scalelab_bg'));
    const labRes = wasmRes.filter((e) => e !== mainRes);
    const jsRes = res.filter((e) => e.name.endsWith('.js'));
    const cssRes = res.filter((e) => e.name.endsWith('.css'));
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const calls = p.wasm.map((c) => ({ file: base(c.url), api: c.api, start: c.start, end: c.end }));
    const mainCall = calls.find((c) => c.file.startsWith('scalelab_bg')) ?? calls[0] ?? null;
    const pieceCalls = calls.filter((c) => c !== mainCall);
    // The most requests open at once: `outstanding` from when the page asked (fetch or preload;
    // includes waiting for a free connection), `in_flight` from when the request was sent.
    const overlap = (entries, from) => {
      const edges = entries.flatMap((e) => [[e[from], 1], [e.responseEnd, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let open = 0; let most = 0;
      for (const [, d] of edges) { open += d; most = Math.max(most, open); }
      return most;
    };
    const sum = (xs, k) => xs.reduce((t, e) => t + (e[k] ?? 0), 0);
    const maxOf = (xs) => (xs.length ? Math.max(...xs) : null);
    const minOf = (xs) => (xs.length ? Math.min(...xs) : null);
    const urls = wasmRes.map((e) => e.name);
    return {
      interactive_ms: p.interactive,
      interactive_rule: p.rule,
      interactive_metric: p.interactiveMetric,
      lab_loading_seen_ms: p.labLoading,
      app_started_ms: p.started,
      first_contentful_paint_ms: fcp ? fcp.startTime : null,
      dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
      load_event_ms: nav ? nav.loadEventEnd : null,
      html_response_end_ms: nav ? nav.responseEnd : null,
      // The main module (wasm-bindgen's init).
      wasm_api: mainCall ? mainCall.api : null,
      wasm_call_start_ms: mainCall ? mainCall.start : null,
      wasm_instantiated_ms: mainCall ? mainCall.end : null,
      wasm_instantiate_ms: mainCall && mainCall.end !== null ? mainCall.end - mainCall.start : null,
      wasm_fetch_start_ms: mainRes ? mainRes.startTime : null,
      wasm_response_end_ms: mainRes ? mainRes.responseEnd : null,
      wasm_transfer_bytes: mainRes ? mainRes.transferSize : null,
      wasm_encoded_bytes: mainRes ? mainRes.encodedBodySize : null,
      wasm_decoded_bytes: mainRes ? mainRes.decodedBodySize : null,
      // A lab's pieces (its split piece and the shared chunks): on a deep link one pack fetched
      // by index.html's start-up script (pack_requests), instantiated by __wasm_split.js.
      pieces_fetched: labRes.length,
      pack_requests: wasmRes.filter(isPack).length,
      pieces_fetch_start_ms: minOf(labRes.map((e) => e.startTime)),
      pieces_last_fetch_start_ms: maxOf(labRes.map((e) => e.startTime)),
      pieces_response_end_ms: maxOf(labRes.map((e) => e.responseEnd)),
      pieces_instantiated_ms: maxOf(pieceCalls.map((c) => c.end).filter((v) => v !== null)),
      pieces_requested_before_main_done: mainRes ? labRes.filter((e) => e.startTime < mainRes.responseEnd).length : null,
      // Every wasm file (and the pack) together.
      wasm_requests: wasmRes.length,
      wasm_unique_files: new Set(urls).size,
      wasm_transfer_bytes_total: sum(wasmRes, 'transferSize'),
      wasm_encoded_bytes_total: sum(wasmRes, 'encodedBodySize'),
      wasm_decoded_bytes_total: sum(wasmRes, 'decodedBodySize'),
      wasm_all_response_end_ms: maxOf(wasmRes.map((e) => e.responseEnd)),
      wasm_max_outstanding: overlap(wasmRes, 'startTime'),
      wasm_max_in_flight: overlap(wasmRes.filter((e) => e.requestStart > 0), 'requestStart'),
      wasm_instantiate_calls: calls,
      js_requests: jsRes.length,
      js_transfer_bytes_total: sum(jsRes, 'transferSize'),
      js_response_end_ms: maxOf(jsRes.map((e) => e.responseEnd)),
      // The deep link's pack is fetched by an inline script, which waits for the stylesheets
      // before it in the document: compare with pieces_fetch_start_ms.
      css_response_end_ms: maxOf(cssRes.map((e) => e.responseEnd)),
      requests: res.length + 1,
      transfer_bytes_total: sum(res, 'transferSize') + (nav ? nav.transferSize : 0),
      // After the main module is instantiated: wasm-bindgen's start (main: mount the app) until
      // the start-up script's `scalelab-started` event.
      main_ms: mainCall && mainCall.end !== null && p.started !== null ? p.started - mainCall.end : null,
      longtasks: p.longtasks,
    };
  });
  await context.close();
  return { ...r, timed_out: timedOut, encodings, errors };
}

const STARTUP_KEYS = ['interactive_ms', 'app_started_ms', 'first_contentful_paint_ms', 'wasm_instantiate_ms',
  'wasm_fetch_start_ms', 'wasm_response_end_ms', 'wasm_instantiated_ms', 'main_ms', 'js_response_end_ms',
  'html_response_end_ms', 'lab_loading_seen_ms', 'pieces_fetch_start_ms', 'pieces_last_fetch_start_ms',
  'pieces_response_end_ms', 'pieces_instantiated_ms', 'wasm_all_response_end_ms', 'wasm_requests',
  'wasm_max_outstanding', 'wasm_max_in_flight', 'pieces_requested_before_main_done', 'pack_requests', 'js_requests', 'requests',
  'wasm_transfer_bytes', 'wasm_transfer_bytes_total', 'wasm_encoded_bytes_total', 'wasm_decoded_bytes_total',
  'js_transfer_bytes_total', 'transfer_bytes_total', 'css_response_end_ms'];

/** `runs` fresh loads of `path`; medians (a load that never became interactive counts as slowest). */
async function startup(browser, base, path, runs, throttle = null) {
  const list = [];
  for (let i = 0; i < runs; i++) list.push(await startupOnce(browser, base, path, throttle));
  const med = (k) => percentile(list.map((r) => (k === 'interactive_ms' && r[k] === null ? Infinity : r[k]))
    .filter((v) => v !== null && v !== undefined), 0.5);
  const median = Object.fromEntries(STARTUP_KEYS.map((k) => [k, med(k)]));
  if (median.interactive_ms === Infinity) median.interactive_ms = null;
  const m = median;
  say(`start-up ${path}${throttle ? ' (slow connection)' : ''}: interactive ${m.interactive_ms?.toFixed(0) ?? 'never'} ms `
    + `(median of ${list.length}${list.some((r) => r.timed_out) ? `, ${list.filter((r) => r.timed_out).length} timed out` : ''}), `
    + `main wasm instantiate ${m.wasm_instantiate_ms?.toFixed(0)} ms, ${m.wasm_requests} wasm + ${m.js_requests} js requests`
    + `${m.pieces_fetch_start_ms !== null ? `, lab pieces requested from ${m.pieces_fetch_start_ms.toFixed(0)} ms, at most ${m.wasm_max_outstanding} wasm outstanding / ${m.wasm_max_in_flight} in flight` : ''}`
    + `, ${(m.transfer_bytes_total / 1024).toFixed(0)} KB transferred`);
  return { runs: list, median, interactive_metric: list[0]?.interactive_metric, interactive_rule: list[0]?.interactive_rule,
    timed_out: list.filter((r) => r.timed_out).length, errors: [...new Set(list.flatMap((r) => r.errors))] };
}

async function speeds(page) {
  const values = await page.$$eval('[data-testid="speed"] option', (os) => os.map((o) => Number(o.value)));
  const current = Number(await page.inputValue('[data-testid="speed"]'));
  return { current, fastest: Math.max(...values) };
}

/**
 * Reads the app's frame-cost buffer (src/components/frame_timing.rs, exported by wasm-bindgen as
 * `scalelabFrameTimes`). The start-up script does not put the glue's exports on window (Trunk's
 * `window.wasmBindings` is gone), so this imports the glue module again: the same URL as the
 * start-up script's import (its modulepreload link), hence the same, initialised, module.
 */
async function frameTimes(page) {
  return page.evaluate(async () => {
    let f = window.wasmBindings?.scalelabFrameTimes;
    if (!f) {
      const link = document.querySelector('link[rel="modulepreload"][href*="scalelab-"]');
      if (link) f = (await import(link.href)).scalelabFrameTimes;
    }
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
  // Flat after warm-up: the first half of the run (the issue's 10 simulated minutes by default)
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
const result = { labs: {}, startup: {}, startup_slow: {}, browser_version: browser.version(),
  settings: { STARTUP_RUNS, SLOW_RUNS, SLOW, SMOOTH_S, MEMORY_SIM_S, MEMORY_WALL_S }, build_routes: routesJson };
try {
  const labs = labRoutes();
  result.lab_routes = labs;
  if (routesJson) {
    const missing = labs.filter((s) => !routesJson.labs[s]);
    if (missing.length) say(`(no pieces in routes.json for ${missing.join(', ')})`);
  }
  const paths = ['/', ...labs.map((s) => `/labs/${s}`)];
  result.routes = paths;
  for (const path of paths) {
    result.startup[path] = await startup(browser, server.url, path, STARTUP_RUNS);
    writeFileSync(out, JSON.stringify(result, null, 2));
  }
  if (SLOW_RUNS > 0) {
    for (const path of paths) {
      result.startup_slow[path] = await startup(browser, server.url, path, SLOW_RUNS, SLOW);
      writeFileSync(out, JSON.stringify(result, null, 2));
    }
  }
  for (const slug of labs) {
    const lab = {};
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
