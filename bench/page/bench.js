// Times every workload of the simulation core compiled to wasm (two builds: the app's size
// profile, opt-level "z", and the same code at opt-level 3), and the JavaScript peers on the same
// inputs, in this page, with performance.now(). Results go to window.__bench (read by
// bench/run/browser.mjs). Set-up is never inside a timed region.
import initSize, * as size from './pkg/bench_size.js';
import initSpeed, * as speed from './pkg/bench_speed.js';
import { LRUCache, HashRing } from './peers.js';

const params = new URLSearchParams(location.search);
/** Minimum timed wall time per measurement (ms) and repetitions bounds. */
const MIN_MS = Number(params.get('min_ms') ?? 1500);
const MIN_REPS = Number(params.get('min_reps') ?? 5);
const MAX_REPS = Number(params.get('max_reps') ?? 60);
const ONLY = params.get('only');

const logEl = document.getElementById('log');
const log = (line) => { logEl.textContent += line + '\n'; console.log(line); };
const now = () => performance.now();

function summary(times) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { reps: s.length, median_ms: q(0.5), min_ms: s[0], max_ms: s[s.length - 1] };
}

/** Runs `setup` (untimed) then `run` (timed) repeatedly: one warm-up, then until MIN_MS and
 *  MIN_REPS are both reached (at most MAX_REPS). `run` returns the elements processed. */
function measure(setup, run) {
  setup();
  let elements = run();
  const times = [];
  let spent = 0;
  while ((spent < MIN_MS || times.length < MIN_REPS) && times.length < MAX_REPS) {
    setup();
    const t0 = now();
    elements = run();
    const dt = now() - t0;
    times.push(dt);
    spent += dt;
  }
  const s = summary(times);
  return { ...s, elements, per_sec: elements / (s.median_ms / 1000) };
}

function coreWorkloads(mod, label) {
  const out = [];
  for (const name of mod.workload_names()) {
    if (ONLY && !name.includes(ONLY)) continue;
    const b = new mod.Bench(name);
    const m = measure(() => b.setup(), () => b.run());
    out.push({ name, unit: b.unit(), what: b.what(), checksum: b.checksum(), ...m });
    log(`${label} ${name}: ${(m.per_sec / 1e6).toFixed(2)} M ${b.unit()}/s (median ${m.median_ms.toFixed(2)} ms of ${m.reps})`);
    b.free();
  }
  return out;
}

/** The same Zipf stream through the core's LRU and through npm lru-cache. */
function lruPeer() {
  const stream = size.cache_stream(); // Uint32Array, generated once by the core's Zipf + seed
  const [capacity] = size.sizes();
  const core = {};
  for (const [label, mod] of [['size', size], ['speed', speed]]) {
    const b = new mod.Bench('cache.policy/lru');
    core[label] = measure(() => b.setup(), () => b.run());
    core[label].hits = parseInt(b.checksum(), 16);
    b.free();
  }
  let cache;
  let hits = 0;
  const js = measure(
    () => { cache = new LRUCache({ max: capacity }); },
    () => {
      hits = 0;
      for (let i = 0; i < stream.length; i++) {
        const key = stream[i];
        if (cache.get(key) !== undefined) hits++;
        else cache.set(key, true);
      }
      return stream.length;
    },
  );
  js.hits = hits;
  const requests = stream.length;
  const result = {
    requests, capacity, keys: size.sizes()[1],
    core_size: core.size, core_speed: core.speed, js,
    hit_ratio_core: core.size.hits / requests,
    hit_ratio_js: js.hits / requests,
    ratio_size: core.size.per_sec / js.per_sec,
    ratio_speed: core.speed.per_sec / js.per_sec,
  };
  log(`lru: core ${(result.ratio_size).toFixed(2)}x lru-cache (hit ratio core ${result.hit_ratio_core.toFixed(4)}, js ${result.hit_ratio_js.toFixed(4)})`);
  return result;
}

/** Building the ring and looking up the same keys: the core's ring against npm hashring. */
function ringPeer() {
  const [, , nodes, points, lookups, builds] = size.sizes();
  const servers = Array.from({ length: nodes }, (_, i) => `node-${i}`);
  const keys = Array.from({ length: lookups }, (_, i) => `key-${i}`);
  const core = {};
  for (const [label, mod] of [['size', size], ['speed', speed]]) {
    const build = new mod.Bench('ring/build');
    const lookup = new mod.Bench('ring/ring');
    core[label] = {
      build: measure(() => build.setup(), () => build.run()),
      lookup: measure(() => lookup.setup(), () => lookup.run()),
    };
    build.free();
    lookup.free();
  }
  let ring = null;
  const jsBuild = measure(() => { ring = null; }, () => {
    let total = 0;
    for (let i = 0; i < builds; i++) { ring = new HashRing(servers); total += ring.size; }
    return total;
  });
  let last;
  const jsLookup = measure(
    () => { ring = new HashRing(servers); },
    () => {
      for (let i = 0; i < keys.length; i++) last = ring.get(keys[i]);
      return keys.length;
    },
  );
  if (!servers.includes(last)) throw new Error(`hashring returned ${last}`);
  const result = {
    nodes, points_per_node: points, lookups, builds_per_run: builds, js_points: ring.size,
    core_size: core.size, core_speed: core.speed, js: { build: jsBuild, lookup: jsLookup },
    lookup_ratio_size: core.size.lookup.per_sec / jsLookup.per_sec,
    lookup_ratio_speed: core.speed.lookup.per_sec / jsLookup.per_sec,
    build_ratio_size: jsBuild.median_ms / core.size.build.median_ms,
    build_ratio_speed: jsBuild.median_ms / core.speed.build.median_ms,
  };
  log(`ring: lookups core ${result.lookup_ratio_size.toFixed(2)}x hashring, build ${result.build_ratio_size.toFixed(2)}x`);
  return result;
}

async function main() {
  const t0 = now();
  await initSize({ module_or_path: './pkg/bench_size_bg.wasm' });
  await initSpeed({ module_or_path: './pkg/bench_speed_bg.wasm' });
  const results = { user_agent: navigator.userAgent, settings: { MIN_MS, MIN_REPS, MAX_REPS } };
  results.peers = { lru: lruPeer(), hashring: ringPeer() };
  results.size = coreWorkloads(size, 'wasm(z)');
  results.speed = coreWorkloads(speed, 'wasm(O3)');
  results.total_s = (now() - t0) / 1000;
  window.__bench = { done: true, results };
  log('done');
}

main().catch((e) => {
  window.__bench = { done: true, error: String(e && e.stack || e) };
  log(`error: ${e}`);
});
