// Where the app's wasm bytes go: sums twiggy's per-item sizes of a release build by the part of
// the project that caused them. The build (bench.sh `size_profile`) is the release wasm with
// v0 symbol mangling and the name section kept through wasm-opt, so every monomorphised function
// names the types it was instantiated for: `tachys::…::build::<scalelab::labs::cache::…>` is the
// cache lab's view code even though the function is the framework's.
// The shipped build is split (scripts/build-wasm.mjs: a main module, a piece per lab, shared
// chunks), so the shipped size is the sum over every piece (raw, and gzip piece by piece, as each
// is sent), while the profile is of the same code unsplit.
// Usage: node bench/run/size.mjs <twiggy top --format csv output> <shipped wasm>... <out.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const [csvPath, out] = [args[0], args[args.length - 1]];
const shippedPaths = args.slice(1, -1);
if (args.length < 3) {
  console.error('usage: node bench/run/size.mjs <twiggy.csv> <shipped.wasm>... <out.json>');
  process.exit(2);
}

/** Splits one CSV line (twiggy quotes names that hold commas or quotes). */
function cells(line) {
  const outCells = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { outCells.push(cur); cur = ''; } else cur += c;
  }
  outCells.push(cur);
  return outCells;
}

/** The part of the project an item belongs to (first match wins). */
export function partOf(rawName) {
  const name = rawName.replace(/\[[0-9a-f]+\]/g, ''); // v0 crate disambiguators
  if (name.startsWith('data segment')) return 'text and tables (data segments)';
  let m = name.match(/scalelab::labs::([a-z_0-9]+)/);
  if (m) return `lab page: ${m[1]}`;
  m = name.match(/scalelab::components::([a-z_0-9]+)/);
  if (m) return `shared components (${['chart', 'chart_backend'].includes(m[1]) ? 'charts' : 'other'})`;
  if (/scalelab::lessons/.test(name)) return 'lessons (player data)';
  if (/scalelab::/.test(name)) return 'app shell (router, home, header, formatting)';
  m = name.match(/scalelab_sim::([a-z_0-9]+)/);
  if (m) return `core model: ${m[1]}`;
  // Not named after the project: the first library the name mentions that is one of these.
  if (/\b(leptos|leptos_router|leptos_dom|tachys|reactive_graph|either_of|or_poisoned|any_spawner|throw_error|slotmap|futures_\w+|indexmap|hashbrown)::/.test(name)) {
    return 'framework (Leptos, its router and their dependencies), not attributable';
  }
  if (/\bplotters(_svg|_backend)?::/.test(name)) return 'plotters';
  if (/\b(js_sys|web_sys|wasm_bindgen|console_error_panic_hook)::|^(import|export) /.test(name)) return 'wasm-bindgen, js-sys, web-sys';
  return 'Rust std/core/alloc and the rest, not attributable';
}

const lines = readFileSync(csvPath, 'utf8').split('\n').slice(1).filter(Boolean);
const parts = new Map();
let total = 0;
for (const line of lines) {
  const [name, size] = cells(line);
  const bytes = Number(size);
  if (!Number.isFinite(bytes)) continue;
  // Sections the shipped build does not have (names, custom sections) are not the app's bytes.
  if (name.includes('function names') || name.includes('data names') || name.startsWith('custom section')
    || name.includes('"name"') || name.startsWith('elem[') || name.startsWith('table[')) continue;
  const part = partOf(name);
  const p = parts.get(part) ?? { part, bytes: 0, items: 0 };
  p.bytes += bytes;
  p.items += 1;
  parts.set(part, p);
  total += bytes;
}
const shippedFiles = shippedPaths.map((path) => {
  const bytes = readFileSync(path);
  return { file: basename(path), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const shippedRaw = shippedFiles.reduce((t, f) => t + f.raw, 0);
const shippedGzip = shippedFiles.reduce((t, f) => t + f.gzip, 0);
const rows = [...parts.values()].sort((a, b) => b.bytes - a.bytes).map((p) => ({
  ...p,
  share: p.bytes / total,
  // Gzip does not split by part; this spreads the shipped pieces' gzip size by raw share.
  gzip_estimate: Math.round((p.bytes / total) * shippedGzip),
}));
const result = { attributed_raw_bytes: total, shipped_raw_bytes: shippedRaw, shipped_gzip_bytes: shippedGzip,
  shipped_files: shippedFiles, parts: rows };
writeFileSync(out, JSON.stringify(result, null, 2));
for (const r of rows) {
  console.log(`    ${(r.bytes / 1024).toFixed(1).padStart(7)} KB raw ${(100 * r.share).toFixed(1).padStart(5)}%  ~${(r.gzip_estimate / 1024).toFixed(1).padStart(5)} KB gzip  ${r.part}`);
}
