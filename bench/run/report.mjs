// Assembles the benchmark report (Markdown + JSON) from what the runners wrote, and prints it.
// Usage: node bench/run/report.mjs <work dir> <out dir>
// The work dir holds: load-start.txt, native-workloads.json, browser.json, app.json, bundle.json, size.json;
// criterion's estimates are read from bench/target/criterion.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT } from './common.mjs';

const [work, outDir] = process.argv.slice(2);
const readJson = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);
const sh = (cmd) => { try { return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return null; } };

// --- The machine. ---
const osRelease = existsSync('/etc/os-release')
  ? (readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)"?/m) ?? [])[1] : null;
const browserJson = readJson(join(work, 'browser.json'));
const appJson = readJson(join(work, 'app.json'));
const machine = {
  date: new Date().toISOString(),
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memory_gib: +(os.totalmem() / 2 ** 30).toFixed(1),
  os: `${osRelease ?? os.type()} (${os.type()} ${os.release()}, ${os.arch()})`,
  browser: `Chromium ${browserJson?.browser_version ?? appJson?.browser_version ?? '?'} (headless, ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'})`,
  rustc: sh('rustc --version'),
  node: process.version,
  commit: sh(`git -C "${ROOT}" rev-parse --short HEAD`),
  load_start: existsSync(join(work, 'load-start.txt')) ? readFileSync(join(work, 'load-start.txt'), 'utf8').trim() : null,
  load_end: existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').trim() : null,
  quick: process.env.BENCH_QUICK === '1',
};

// --- Native (criterion). ---
const manifest = readJson(join(work, 'native-workloads.json')) ?? [];
const native = {};
for (const w of manifest) {
  const [group, variant] = w.name.split('/');
  const est = readJson(join(ROOT, 'bench', 'target', 'criterion', group, variant, 'new', 'estimates.json'));
  if (!est) continue;
  const medianNs = est.median.point_estimate;
  // The fastest sample (per-run time of criterion's best batch): other load only ever adds time.
  const sample = readJson(join(ROOT, 'bench', 'target', 'criterion', group, variant, 'new', 'sample.json'));
  const bestNs = sample ? Math.min(...sample.times.map((t, i) => t / sample.iters[i])) : medianNs;
  native[w.name] = { ...w, median_ms: medianNs / 1e6, mean_ms: est.mean.point_estimate / 1e6, best_ms: bestNs / 1e6,
    per_sec_median: w.elements / (medianNs / 1e9), per_sec: w.elements / (bestNs / 1e9) };
}

// --- Browser workloads and peers. ---
// Throughput from the fastest run (other load only ever adds time); medians stay in the JSON.
const best = (m) => ({ ...m, per_sec_median: m.per_sec, per_sec: m.elements / (m.min_ms / 1000) });
const wasmSize = Object.fromEntries((browserJson?.size ?? []).map((w) => [w.name, best(w)]));
const wasmSpeed = Object.fromEntries((browserJson?.speed ?? []).map((w) => [w.name, best(w)]));
const peers = browserJson?.peers ?? null;
if (peers) {
  const l = peers.lru;
  [l.core_size, l.core_speed, l.js] = [best(l.core_size), best(l.core_speed), best(l.js)];
  l.ratio_size = l.core_size.per_sec / l.js.per_sec;
  l.ratio_speed = l.core_speed.per_sec / l.js.per_sec;
  const h = peers.hashring;
  for (const side of [h.core_size, h.core_speed, h.js]) [side.build, side.lookup] = [best(side.build), best(side.lookup)];
  h.lookup_ratio_size = h.core_size.lookup.per_sec / h.js.lookup.per_sec;
  h.lookup_ratio_speed = h.core_speed.lookup.per_sec / h.js.lookup.per_sec;
  h.build_ratio_size = h.js.build.min_ms / h.core_size.build.min_ms;
  h.build_ratio_speed = h.js.build.min_ms / h.core_speed.build.min_ms;
}
const bundle = readJson(join(work, 'bundle.json'));
const size = readJson(join(work, 'size.json'));

// --- Targets. ---
const targets = [];
const target = (name, met, evidence) => targets.push({ target: name, met, evidence });
const KB = (b) => (b / 1024).toFixed(1);
if (bundle) {
  // scripts/bundle-size.mjs: every route's first load (index.html, stylesheet, icon, the start-up
  // JS, the main wasm, and for a lab its pack: its piece and the shared chunks it waits for).
  const shell = bundle.routes.find((r) => r.route === '/');
  for (const r of bundle.routes) {
    const kb = r.gzip / 1024;
    const extra = shell && r !== shell ? `; the shell (what \`/\` loads) ${KB(shell.gzip)} KB + the lab's pack of ${r.pieces?.length} pieces ${KB(r.gzip - shell.gzip)} KB gzip${r.one_by_one ? ` (the same pieces one by one: ${KB(r.one_by_one.gzip - shell.gzip)} KB gzip)` : ''}` : '';
    target(`Bundle: first load of ${r.route} at most ${bundle.budget_gzip_kb} KB gzip`, kb <= bundle.budget_gzip_kb,
      `${kb.toFixed(1)} KB gzip, ${KB(r.brotli)} KB brotli, ${KB(r.raw)} KB raw, ${r.files.length} files${extra}`);
  }
}
if (peers) {
  const l = peers.lru;
  target('LRU: core at least 2x npm lru-cache (same Zipf stream)', l.ratio_size >= 2,
    `${l.ratio_size.toFixed(2)}x in the app's build (opt-level z), ${l.ratio_speed.toFixed(2)}x at opt-level 3; hit ratio core ${l.hit_ratio_core.toFixed(4)}, lru-cache ${l.hit_ratio_js.toFixed(4)}`);
  const h = peers.hashring;
  target('Ring: core at least 2x npm hashring (lookups of the same keys)', h.lookup_ratio_size >= 2,
    `lookups ${h.lookup_ratio_size.toFixed(2)}x (z), ${h.lookup_ratio_speed.toFixed(2)}x (O3); ring build ${h.build_ratio_size.toFixed(2)}x (z), ${h.build_ratio_speed.toFixed(2)}x (O3)`);
}
const labs = appJson?.labs ?? {};
for (const [slug, lab] of Object.entries(labs)) {
  const s = lab.smooth_default;
  if (s) {
    const p95 = s.frame_total_ms.p95;
    target(`Smooth /labs/${slug} at default speed (${s.speed}x): no long task, p95 < 8 ms`,
      s.long_tasks === 0 && p95 !== null && p95 < 8,
      `${s.long_tasks} long tasks${s.long_tasks ? ` (longest ${s.long_task_max_ms.toFixed(0)} ms)` : ''}, frame p95 ${fmt(p95)} ms (sim + Leptos updates; whole main thread incl. style/layout/paint p95 ${fmt(s.main_thread_frame_ms.p95)} ms), ${s.frame_total_ms.n} frames; in CPU time (unaffected by other load): script p95 ${fmt(s.cpu?.script_cpu_ms.p95)} ms, whole frame p95 ${fmt(s.cpu?.frame_cpu_ms.p95)} ms, wall/CPU ${fmt(s.cpu?.wall_over_cpu)}, tasks over 50 ms of CPU ${s.cpu?.long_tasks_cpu ?? 'n/a'} (longest ${fmt(s.cpu?.longest_task_cpu_ms, 1)} ms)`);
  }
}
// A stricter reading of "rendering": the browser's own style, layout and paint included, in CPU
// time (so other load on the machine does not count against the page).
for (const [slug, lab] of Object.entries(labs)) {
  const c = lab.smooth_default?.cpu;
  if (!c) continue;
  target(`Smooth /labs/${slug} at default speed, stricter reading: whole frame incl. the browser's style, layout and paint, p95 < 8 ms of CPU`,
    c.frame_cpu_ms.p95 !== null && c.frame_cpu_ms.p95 < 8,
    `whole frame p95 ${fmt(c.frame_cpu_ms.p95)} ms of CPU (script ${fmt(c.script_cpu_ms.p95)}, browser rendering ${fmt(c.render_cpu_ms.p95)}), longest task ${fmt(c.longest_task_cpu_ms, 1)} ms of CPU`);
}
const startups = appJson?.startup ?? {};
const slows = appJson?.startup_slow ?? {};
const slow = appJson?.settings?.SLOW;
// Every load's time, next to the median (nearest rank: of two loads, the faster).
const runList = (st) => `loads: ${st.runs.map((r) => (r.interactive_ms === null ? 'never' : r.interactive_ms.toFixed(0))).join(', ')} ms`;
const slowName = slow ? `${(slow.downloadThroughput * 8 / 1e6).toFixed(1)} Mbps down, ${slow.latency} ms round trip` : 'slow connection';
for (const [route, st] of Object.entries(startups)) {
  const m = st.median;
  const pieces = m.pieces_instantiated_ms !== null ? `, lab pieces instantiated at ${fmt(m.pieces_instantiated_ms, 0)} ms` : '';
  target(`Start-up: ${route} interactive under 1 s (localhost, median of ${st.runs.length})`, m.interactive_ms !== null && m.interactive_ms < 1000,
    `interactive at ${fmt(m.interactive_ms, 0)} ms (${runList(st)}); main wasm instantiate (streaming fetch + compile) ${fmt(m.wasm_instantiate_ms, 0)} ms, main (mount) ${fmt(m.main_ms, 0)} ms${pieces}`);
}
for (const [route, st] of Object.entries(slows)) {
  const m = st.median;
  target(`Slow connection (${slowName}, Chromium emulation): ${route} interactive within 3 s (median of ${st.runs.length})`,
    m.interactive_ms !== null && m.interactive_ms <= 3000,
    `interactive at ${fmt(m.interactive_ms, 0)} ms (${runList(st)}); ${m.wasm_requests} wasm + ${m.js_requests} JS requests, ${KB(m.transfer_bytes_total)} KB transferred; main wasm done at ${fmt(m.wasm_response_end_ms, 0)} ms${m.pieces_response_end_ms !== null ? `, last lab piece at ${fmt(m.pieces_response_end_ms, 0)} ms` : ''}`);
}
// Whether a deep link fetches its lab's pieces alongside the main wasm (as one pack, started by
// index.html's start-up script, scripts/build-wasm.mjs) rather than after it (when the main module
// asks for them): the pack is the only lab request, it is made before the main wasm has arrived,
// and it is outstanding together with the main wasm.
const slowLabs = Object.entries(slows).filter(([route]) => route.startsWith('/labs/'));
if (slowLabs.length) {
  const ok = slowLabs.every(([, st]) => st.median.pack_requests === 1 && st.median.pieces_requested_before_main_done > 0
    && st.median.pieces_requested_before_main_done === st.median.wasm_requests - 1 && st.median.wasm_max_outstanding > 1);
  target(`Slow connection: a lab deep link fetches its pieces (one pack) in parallel with the main wasm`, ok,
    slowLabs.map(([route, st]) => { const m = st.median; return `${route}: ${m.pack_requests} pack, ${m.pieces_requested_before_main_done}/${m.wasm_requests - 1} lab requests made before the main wasm arrived (first at ${fmt(m.pieces_fetch_start_ms, 0)} ms, last at ${fmt(m.pieces_last_fetch_start_ms, 0)} ms; stylesheet done at ${fmt(m.css_response_end_ms, 0)} ms), at most ${m.wasm_max_outstanding} wasm requests outstanding, ${m.wasm_max_in_flight} on the wire`; }).join('; '));
}
for (const [slug, lab] of Object.entries(labs)) {
  const m = lab.memory;
  if (!m) continue;
  const reached = m.reached_sim_s >= (appJson.settings.MEMORY_SIM_S - 1);
  const flat = m.wasm_growth_after_warmup_bytes <= 0 && Math.abs(m.js_heap_growth_after_warmup_bytes) < 1024 * 1024;
  target(`Memory /labs/${slug}: flat after warm-up (${appJson.settings.MEMORY_SIM_S / 2} s), to ${appJson.settings.MEMORY_SIM_S} s simulated at ${m.speed}x`, flat && reached,
    `${reached ? '' : `only ${m.reached_sim_s.toFixed(0)} s simulated in ${m.wall_s.toFixed(0)} s wall; `}wasm ${mib(m.samples[m.warmup_sample].wasm_bytes)} -> ${mib(m.samples[m.samples.length - 1].wasm_bytes)} MiB, JS heap ${mib(m.samples[m.warmup_sample].js_heap_used)} -> ${mib(m.samples[m.samples.length - 1].js_heap_used)} MiB (after GC)`);
}

function fmt(v, digits = 2) { return v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits); }
function mib(b) { return b === null || b === undefined ? 'n/a' : (b / 1048576).toFixed(2); }
function rate(v) {
  if (v === null || v === undefined) return 'n/a';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(0);
}

// --- Markdown. ---
const md = [];
md.push('# ScaleLab benchmark report', '');
md.push(`Run on ${machine.date} at commit ${machine.commit ?? '?'}${machine.quick ? ' (BENCH_QUICK: short measurements)' : ''}.`, '');
md.push('| machine | |', '|---|---|');
md.push(`| CPU | ${machine.cpu} |`, `| cores | ${machine.cores} |`, `| memory | ${machine.memory_gib} GiB |`,
  `| OS | ${machine.os} |`, `| browser | ${machine.browser} |`, `| rustc | ${machine.rustc} |`, `| node | ${machine.node} |`,
  `| load (/proc/loadavg) | start ${machine.load_start ?? '?'}; end ${machine.load_end ?? '?'} |`, '');
md.push('Absolute numbers are this machine\'s; a load average above the core count means other work shared the CPU. Ratios measured in the same run are what matter.', '');

md.push('## Targets', '', '| target | met | evidence |', '|---|---|---|');
for (const t of targets) md.push(`| ${t.target} | ${t.met ? 'yes' : '**MISSED**'} | ${t.evidence} |`);
md.push('');

if (bundle) {
  md.push('## Bundle (what the first load of each route transfers)', '');
  md.push(`The wasm is split (\`scripts/build-wasm.mjs\`): a main module (router, home, runtime) with its JS glue and split loader, one piece per lab (\`split_lab_*\`) and chunks of code several labs share (\`chunk_N\`); \`wasm/routes.json\` says which files each lab's deep link needs, and a deep link fetches them as one pack (\`pack_<slug>\`: the same files in one, compressed as one stream); moving to a lab inside the app fetches its pieces one by one. From \`scripts/bundle-size.mjs --json\`: raw, gzip -9 and brotli 11 of each file (the server sends the build's precompressed .br/.gz copies). Target: every route's first load at most ${bundle.budget_gzip_kb} KB gzip (the guard's interim ceiling for lab routes: ${bundle.lab_interim_gzip_kb} KB).`, '');
  md.push('### First load of each route', '', '| route | files | raw KB | gzip KB | brotli KB | transferred (measured, localhost) KB | target |', '|---|---:|---:|---:|---:|---:|---|');
  for (const r of bundle.routes) {
    const measured = appJson?.startup?.[r.route]?.median?.transfer_bytes_total;
    const met = r.gzip <= bundle.budget_gzip_kb * 1024;
    md.push(`| ${r.route} | ${r.files.length} | ${KB(r.raw)} | **${KB(r.gzip)}** | ${KB(r.brotli)} | ${measured ? KB(measured) : 'n/a'} | ${met ? 'met' : `**over ${bundle.budget_gzip_kb} KB**`} |`);
  }
  md.push('');
  md.push('### Every piece', '', '| file | raw KB | gzip KB | brotli KB | routes that load it |', '|---|---:|---:|---:|---|');
  for (const f of bundle.pieces) {
    // A piece in a lab's pack counts for that lab's route (moving there in the app fetches it alone).
    const users = bundle.routes.filter((r) => r.files.includes(f.file) || r.pieces?.includes(f.file)).map((r) => r.route);
    const who = users.length === bundle.routes.length ? 'all' : users.join(', ');
    md.push(`| ${f.file} | ${KB(f.raw)} | ${KB(f.gzip)} | ${KB(f.brotli)} | ${who} |`);
  }
  // The packs repeat the pieces: not counted in the total.
  const files = bundle.pieces.filter((f) => !/(^|\/)pack_/.test(f.file));
  const all = files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  md.push(`| **all ${files.length} files (the packs, which repeat them, not counted)** | ${KB(all.raw)} | ${KB(all.gzip)} | ${KB(all.brotli)} | |`, '');
}
if (size) {
  md.push("## Where the wasm's bytes go", '');
  md.push(`Every item of the release wasm (same profile and wasm-opt pass, rebuilt with v0 symbol mangling and its name section kept; twiggy), summed by the part of the project its name points at: generic framework code instantiated for a lab's views counts as that lab's. The profile is of the unsplit wasm (the same code before \`wasm-split-cli\` cuts it into pieces): ${(size.attributed_raw_bytes / 1024).toFixed(0)} KB raw counted against ${(size.shipped_raw_bytes / 1024).toFixed(0)} KB shipped in ${size.shipped_files?.length ?? 1} wasm files (the shipped pieces have no names; splitting adds import and export tables between the pieces, and the index tables make the rest of the difference). Gzip does not split by part: the gzip column spreads the shipped pieces' ${(size.shipped_gzip_bytes / 1024).toFixed(0)} KB gzip (summed piece by piece) by raw share (text compresses better than code, so it overstates the text row).`, '');
  md.push('| part | raw KB | share | ~gzip KB |', '|---|---:|---:|---:|');
  for (const p of size.parts) md.push(`| ${p.part} | ${(p.bytes / 1024).toFixed(1)} | ${(100 * p.share).toFixed(1)}% | ${(p.gzip_estimate / 1024).toFixed(1)} |`);
  md.push('');
}

md.push('## Simulation throughput, native and in wasm', '');
md.push('Elements per second of the fastest run (load from other processes only ever adds time, so the fastest run is the most repeatable figure on a shared machine; medians are in report.json). Native: criterion, opt-level 3. Wasm in headless Chromium, timed with performance.now() around one run: "wasm z" is the app\'s release profile (opt-level "z", LTO, what learners run), "wasm O3" the same code at opt-level 3. Set-up is never timed. Checksums agree when native and wasm computed the same results.', '');
md.push('| workload | unit | native /s | wasm z /s | wasm O3 /s | z / native | checksum | what is timed |', '|---|---|---:|---:|---:|---:|---|---|');
const names = [...new Set([...Object.keys(native), ...Object.keys(wasmSize)])];
for (const name of names) {
  const n = native[name];
  const z = wasmSize[name];
  const o = wasmSpeed[name];
  const unit = n?.unit ?? z?.unit;
  const same = n && z ? (n.checksum === z.checksum && (!o || o.checksum === z.checksum) ? 'same' : '**differs**') : 'n/a';
  md.push(`| ${name} | ${unit} | ${rate(n?.per_sec)} | ${rate(z?.per_sec)} | ${rate(o?.per_sec)} | ${n && z ? (z.per_sec / n.per_sec).toFixed(2) : 'n/a'} | ${same} | ${n?.what ?? z?.what ?? ''} |`);
}
md.push('');

if (peers) {
  const l = peers.lru;
  md.push('## Against the JavaScript peers (same page, same run, same inputs)', '');
  md.push(`**LRU.** One stream of ${l.requests.toLocaleString('en')} keys drawn once by the core's Zipf sampler (alpha 0.9, ${l.keys.toLocaleString('en')} keys, seed 1) in wasm and handed to JavaScript as a Uint32Array; a cache of ${l.capacity} entries. The core runs \`CacheStore::access\` (hit, or miss and insert) per key; npm lru-cache runs \`get\`, and \`set\` on a miss. A fresh cache per run, outside the timing.`, '');
  md.push('| | requests/s (fastest run) | fastest / median run ms | hit ratio |', '|---|---:|---:|---:|');
  md.push(`| core LRU, wasm z | ${rate(l.core_size.per_sec)} | ${fmt(l.core_size.min_ms)} / ${fmt(l.core_size.median_ms)} | ${l.hit_ratio_core.toFixed(4)} |`);
  md.push(`| core LRU, wasm O3 | ${rate(l.core_speed.per_sec)} | ${fmt(l.core_speed.min_ms)} / ${fmt(l.core_speed.median_ms)} | ${(l.core_speed.hits / l.requests).toFixed(4)} |`);
  md.push(`| npm lru-cache | ${rate(l.js.per_sec)} | ${fmt(l.js.min_ms)} / ${fmt(l.js.median_ms)} | ${l.hit_ratio_js.toFixed(4)} |`);
  md.push(`| **ratio core / lru-cache** | **${l.ratio_size.toFixed(2)}x** (z), ${l.ratio_speed.toFixed(2)}x (O3) | | |`, '');
  const h = peers.hashring;
  md.push(`**Consistent hashing.** ${h.nodes} equal nodes of ${h.points_per_node} points each (ketama's 40 hashes x 4 points; hashring built ${h.js_points} points), ${h.lookups.toLocaleString('en')} lookups of the keys \`key-0\`..\`key-${h.lookups - 1}\`. The core hashes each key name (xxh3) and searches its indexed ring; npm hashring (bundled with esbuild, node's md5 replaced by npm js-md5) hashes with md5 and binary-searches, through its result cache (default 5,000 entries; every key is new, so it only misses). Build: the core's \`Ring::build\` against \`new HashRing(servers)\`, ${h.builds_per_run} builds per timed run (the browser's timer has 0.1 ms resolution); the table shows one build.`, '');
  md.push('| | lookups/s (fastest run) | lookup run ms, fastest / median | one build ms (fastest run) |', '|---|---:|---:|---:|');
  md.push(`| core ring, wasm z | ${rate(h.core_size.lookup.per_sec)} | ${fmt(h.core_size.lookup.min_ms)} / ${fmt(h.core_size.lookup.median_ms)} | ${fmt(h.core_size.build.min_ms / h.builds_per_run, 4)} |`);
  md.push(`| core ring, wasm O3 | ${rate(h.core_speed.lookup.per_sec)} | ${fmt(h.core_speed.lookup.min_ms)} / ${fmt(h.core_speed.lookup.median_ms)} | ${fmt(h.core_speed.build.min_ms / h.builds_per_run, 4)} |`);
  md.push(`| npm hashring | ${rate(h.js.lookup.per_sec)} | ${fmt(h.js.lookup.min_ms)} / ${fmt(h.js.lookup.median_ms)} | ${fmt(h.js.build.min_ms / h.builds_per_run, 4)} |`);
  md.push(`| **ratio core / hashring** | **${h.lookup_ratio_size.toFixed(2)}x** (z), ${h.lookup_ratio_speed.toFixed(2)}x (O3) | | ${h.build_ratio_size.toFixed(2)}x (z), ${h.build_ratio_speed.toFixed(2)}x (O3) |`, '');
}

const startupRow = (route, st, css = false) => {
  const m = st.median;
  return `| ${route} | **${fmt(m.interactive_ms, 0)}**${st.timed_out ? ` (${st.timed_out} timed out)` : ''} | ${fmt(m.first_contentful_paint_ms, 0)} | ${fmt(m.html_response_end_ms, 0)} | ${css ? `${fmt(m.css_response_end_ms, 0)} | ` : ''}${fmt(m.js_response_end_ms, 0)} | ${fmt(m.wasm_response_end_ms, 0)} | ${fmt(m.wasm_instantiate_ms, 0)} | ${fmt(m.wasm_instantiated_ms, 0)} | ${fmt(m.main_ms, 0)} | ${fmt(m.pieces_fetch_start_ms, 0)} | ${fmt(m.pieces_response_end_ms, 0)} | ${fmt(m.pieces_instantiated_ms, 0)} | ${m.wasm_requests} / ${m.js_requests} | ${m.wasm_max_outstanding} / ${m.wasm_max_in_flight} | ${KB(m.wasm_transfer_bytes_total)} | ${KB(m.transfer_bytes_total)} | ${st.interactive_metric ?? ''} |`;
};
const startupHead = (css = false) => [`| route | interactive ms | first paint ms | html done ms | ${css ? 'stylesheet done ms | ' : ''}js done ms | main wasm done ms | main wasm instantiate ms | main instantiated at ms | main ms | lab pieces requested from ms | lab pieces done ms | lab pieces instantiated ms | wasm / js requests | wasm requests max outstanding / on the wire | wasm transferred KB | all transferred KB | interactive by |`,
  `|---|---:|---:|---:|${css ? '---:|' : ''}---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|`];
if (Object.keys(startups).length) {
  md.push(`## Start-up (localhost, fresh browser context each load, median of ${appJson.settings.STARTUP_RUNS})`, '');
  md.push('Interactive: on a lab page, the first moment it has an enabled play button (`data-testid="play"`) and a metric showing a value (`data-testid="metric-*"` with a `data-value`), so the lab\'s piece has loaded and run; on home (`/`), the first moment a lab card with its link (`data-testid="lab-card-*"` holding an `a[href*="/labs/"]`) is rendered. Checked on every DOM mutation. Main wasm instantiate: the `WebAssembly.instantiateStreaming` call of wasm-bindgen\'s init for the main module, from its start to its resolution (the streamed download overlaps compilation); main: from then until the start-up script\'s `scalelab-started` event (wasm-bindgen start, i.e. mounting the app; Chromium compiles wasm functions lazily on their first call, so part of the compilation shows here). Lab pieces: the lab\'s split piece and shared chunks, fetched by the deep link as one pack (an inline script in index.html; counted as one wasm request) and instantiated by the split loader (`__wasm_split.js`) once the main module asks for the lab; "max outstanding" counts wasm requests from when the page asked for them, "on the wire" from when they were sent (HTTP/1.1: six connections). All times from navigation start; transferred sizes are the Resource Timing transfer sizes (the server sends the precompressed copies).', '');
  md.push(...startupHead());
  for (const [route, st] of Object.entries(startups)) md.push(startupRow(route, st));
  md.push('');
}
if (Object.keys(slows).length) {
  md.push(`## Start-up on a slow connection (${slowName}, median of ${appJson.settings.SLOW_RUNS})`, '');
  md.push(`Chromium's network emulation (CDP \`Network.emulateNetworkConditions\`: latency ${slow.latency} ms, download ${slow.downloadThroughput} bytes/s, upload ${slow.uploadThroughput} bytes/s), cache disabled, a fresh browser context per load. Columns as above. Target: every route interactive within 3 s. Whether a deep link fetches its lab's pieces in parallel with the main wasm: the lab's pack (its pieces in one file) requested against when the main wasm arrived, and the most wasm requests (the pack included) outstanding at once. The pack is fetched by an inline script in \`<head>\`; an inline script does not run until the stylesheets before it in the document have arrived, so where it follows the stylesheet link the pack cannot be requested before the "stylesheet done" column.`, '');
  md.push(...startupHead(true));
  for (const [route, st] of Object.entries(slows)) md.push(startupRow(route, st, true));
  md.push('');
}
if (Object.keys(labs).length) {
  md.push(`## Smoothness (${appJson.settings.SMOOTH_S} s of play per lab and speed)`, '');
  md.push(`Labs come from the router's \`/labs/<slug>\` routes: ${appJson.lab_routes.join(', ')}. Per animation frame: **sim + UI** is the app's own probe (\`src/components/frame_timing.rs\`): from the frame callback until the Leptos effects it triggered have run (Leptos runs them as microtasks after the callback, not inside the signal write); **sim** is the frame callback alone; **main thread** is measured by the harness: from the first rAF callback until the main thread can run the next task, so it adds the browser's style, layout and paint (an upper bound). Long tasks: PerformanceObserver 'longtask' (> 50 ms).`, '');
  md.push(`The last four columns come from a Chromium trace of the same ${appJson.settings.SMOOTH_S} s: per frame, the main thread\'s **CPU** time (not wall time) of the frame\'s script (rAF callbacks with their microtasks: sim + UI) and of the whole frame (script + style, layout, paint, layerize, commit). CPU time does not grow when other processes take the CPU; wall/CPU says how much they stretched the wall-clock columns; the last column counts the trace\'s main-thread tasks that used over 50 ms of CPU (a long task in wall time only was waiting for the CPU).`, '');
  md.push('| lab | speed | fps | frames | sim p50 / p95 ms | sim + UI p50 / p95 / max ms | main thread p50 / p95 ms | long tasks | simulated s per wall s | CPU: script p50 / p95 ms | CPU: whole frame p50 / p95 ms | wall/CPU | tasks > 50 ms CPU (longest ms) |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [slug, lab] of Object.entries(labs)) {
    for (const s of [lab.smooth_default, lab.smooth_fastest]) {
      if (!s) continue;
      const c = s.cpu;
      md.push(`| ${slug} | ${s.speed}x | ${s.fps.toFixed(0)} | ${s.frame_total_ms.n} | ${fmt(s.frame_work_ms.p50)} / ${fmt(s.frame_work_ms.p95)} | ${fmt(s.frame_total_ms.p50)} / ${fmt(s.frame_total_ms.p95)} / ${fmt(s.frame_total_ms.max)} | ${fmt(s.main_thread_frame_ms.p50)} / ${fmt(s.main_thread_frame_ms.p95)} | ${s.long_tasks}${s.long_tasks ? ` (max ${s.long_task_max_ms.toFixed(0)} ms)` : ''} | ${s.sim_rate.toFixed(2)} | ${fmt(c?.script_cpu_ms.p50)} / ${fmt(c?.script_cpu_ms.p95)} | ${fmt(c?.frame_cpu_ms.p50)} / ${fmt(c?.frame_cpu_ms.p95)} | ${fmt(c?.wall_over_cpu)} | ${c?.long_tasks_cpu ?? 'n/a'} (${fmt(c?.longest_task_cpu_ms, 1)}) |`);
    }
  }
  md.push('');
  md.push(`## Memory (${appJson.settings.MEMORY_SIM_S} s of simulated time at the fastest speed)`, '');
  md.push('Sampled every 0.5 s of wall time after a forced garbage collection (CDP `HeapProfiler.collectGarbage`): wasm linear memory (`memory.buffer.byteLength` of the main instance from the start-up script\'s `scalelab-started` event; the lab pieces share that memory) and the JS heap in use (CDP `Runtime.getHeapUsage`). Wasm memory never shrinks, so a flat line after warm-up means the bounded histories hold. The warm-up is the first half of the run (by default the issue\'s 10 simulated minutes): histories fill and the allocator reaches its high-water mark in it; the second half must add nothing. The core\'s own heap is also checked natively, exactly, by `sim/tests/memory.rs` (a counting allocator; part of the tests).', '');
  md.push('| lab | speed | simulated s reached | wall s | wasm MiB start / warm / end | JS heap MiB start / warm / end | DOM nodes end |', '|---|---:|---:|---:|---|---|---:|');
  for (const [slug, lab] of Object.entries(labs)) {
    const m = lab.memory;
    if (!m) continue;
    const [a, w, e] = [m.samples[0], m.samples[m.warmup_sample], m.samples[m.samples.length - 1]];
    md.push(`| ${slug} | ${m.speed}x | ${m.reached_sim_s.toFixed(0)} | ${m.wall_s.toFixed(1)} | ${mib(a.wasm_bytes)} / ${mib(w.wasm_bytes)} / ${mib(e.wasm_bytes)} | ${mib(a.js_heap_used)} / ${mib(w.js_heap_used)} / ${mib(e.js_heap_used)} | ${e.dom_nodes} |`);
  }
  md.push('', 'Samples (simulated s: wasm MiB, JS heap MiB):', '');
  for (const [slug, lab] of Object.entries(labs)) {
    const m = lab.memory;
    if (!m) continue;
    md.push(`- ${slug}: ${m.samples.map((s) => `${s.sim_s.toFixed(0)}: ${mib(s.wasm_bytes)}, ${mib(s.js_heap_used)}`).join('; ')}`);
  }
  md.push('');
}
const errs = [
  ...Object.entries(startups).flatMap(([route, st]) => (st.errors ?? []).map((e) => `${route} (start-up): ${e}`)),
  ...Object.entries(slows).flatMap(([route, st]) => (st.errors ?? []).map((e) => `${route} (slow start-up): ${e}`)),
  ...Object.entries(labs).flatMap(([slug, lab]) =>
    [...(lab.smooth_default?.errors ?? []), ...(lab.smooth_fastest?.errors ?? []), ...(lab.memory?.errors ?? [])]
      .map((e) => `${slug}: ${e}`))];
if (errs.length) md.push('Console errors seen during the runs:', '', ...[...new Set(errs)].map((e) => `- ${e}`), '');

// Investigations of misses, written by hand (bench/findings.md), appended as they are.
const findings = join(ROOT, 'bench', 'findings.md');
if (existsSync(findings)) md.push(readFileSync(findings, 'utf8').trim(), '');

const markdown = md.join('\n');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'report.md'), markdown + '\n');
writeFileSync(join(outDir, 'report.json'), JSON.stringify({ machine, targets, bundle, size, native, wasm: { size: browserJson?.size, speed: browserJson?.speed }, peers, app: appJson }, null, 2));
console.log(markdown);
