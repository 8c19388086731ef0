// The Rust half of every build, run by Trunk as a post_build hook (Trunk.toml): Trunk has no
// step to split a wasm, so this script takes the whole Rust pipeline over.
//
//  1. cargo build (release or debug, as Trunk's profile) with relocations kept (--emit-relocs),
//     in its own target dir (target/split) so it never invalidates the other builds;
//  2. wasm-split-cli cuts the wasm at every split point (`lab_entry!`): a main module, one piece
//     per lab (`split_lab_<slug>.wasm`) and chunks of code several labs share (`chunk_N.wasm`),
//     plus the loader `__wasm_split.js`;
//  3. wasm-bindgen writes the JS glue for the main module;
//  4. wasm-opt -Oz on every piece (release only);
//  5. every file gets a content hash in its name, under wasm/ in the build;
//  6. index.html gets the start-up script and preloads: the main pieces, and (by a small inline
//     script reading the address) the pieces of the lab a deep link opens, fetched in parallel;
//  7. release builds get precompressed .gz/.br copies of every file (scripts/precompress.mjs).
//
// Usage: run by `trunk build` / `trunk serve` (reads TRUNK_PROFILE and TRUNK_STAGING_DIR).
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompress } from './precompress.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const release = (process.env.TRUNK_PROFILE ?? 'release') === 'release';
const staging = process.env.TRUNK_STAGING_DIR ?? join(root, 'dist');
const targetDir = join(root, 'target', 'split');
const work = join(targetDir, 'pieces');
const out = join(staging, 'wasm');
// The wasm features every browser ScaleLab supports has (the same flags for every piece).
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];

function run(what, cmd, args, env = {}) {
  const start = Date.now();
  execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  console.log(`    ${what} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
}

const execFileAsync = promisify(execFile);
const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

// 1. Build.
const profile = release ? 'release' : 'debug';
run(`cargo build (${profile}, relocations kept)`, 'cargo', ['build', '--target', 'wasm32-unknown-unknown',
  '--bin', 'scalelab', ...(release ? ['--release'] : [])], {
  CARGO_TARGET_DIR: targetDir,
  // Replaces .cargo/config.toml's rustflags, so it repeats them.
  RUSTFLAGS: '--cfg erase_components -Clink-args=--emit-relocs',
});

// 2. Split.
rmSync(work, { recursive: true, force: true });
const splitDir = join(work, 'split');
mkdirSync(splitDir, { recursive: true });
run('wasm-split-cli', 'wasm-split-cli', [join(targetDir, 'wasm32-unknown-unknown', profile, 'scalelab.wasm'),
  splitDir, '--out-name', 'scalelab']);

// 3. Bind the main module.
const bindDir = join(work, 'bind');
run('wasm-bindgen', 'wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-demangle',
  '--out-dir', bindDir, '--out-name', 'scalelab', join(splitDir, 'scalelab.wasm')]);

const pieces = readdirSync(splitDir).filter((f) => /^(chunk|split)_.*\.wasm$/.test(f));
const wasmFiles = [join(bindDir, 'scalelab_bg.wasm'), ...pieces.map((f) => join(splitDir, f))];

// 4. Optimise.
if (release) {
  const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');
  const start = Date.now();
  // One wasm-opt per core at a time, biggest pieces first.
  const queue = [...wasmFiles].sort((a, b) => statSync(b).size - statSync(a).size);
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      await execFileAsync(wasmOpt, ['-Oz', ...FEATURES, file, '-o', file]);
    }
  };
  await Promise.all(Array.from({ length: availableParallelism() }, worker));
  console.log(`    wasm-opt -Oz on ${wasmFiles.length} pieces (${((Date.now() - start) / 1000).toFixed(1)} s)`);
}

// 5. Content-hashed names. The wasm pieces are hashed one by one; the two JS modules import each
// other, so they share one hash of both (after the wasm names in them are final).
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const named = {};
for (const file of wasmFiles) {
  const bytes = readFileSync(file);
  const base = file.endsWith('scalelab_bg.wasm') ? 'scalelab_bg' : file.split('/').pop().replace(/\.wasm$/, '');
  named[`${base}.wasm`] = `${base}-${hash(bytes)}.wasm`;
  writeFileSync(join(out, named[`${base}.wasm`]), bytes);
}
let loader = readFileSync(join(splitDir, '__wasm_split.js'), 'utf8');
for (const piece of pieces) {
  if (!loader.includes(`"./${piece}"`)) throw new Error(`__wasm_split.js does not name ${piece}`);
  loader = loader.replaceAll(`"./${piece}"`, `"./${named[piece]}"`);
}
let glue = readFileSync(join(bindDir, 'scalelab.js'), 'utf8');
const jsHash = hash(glue + loader);
const glueName = `scalelab-${jsHash}.js`;
const loaderName = `__wasm_split-${jsHash}.js`;
if (!loader.includes('"./scalelab.js"')) throw new Error('__wasm_split.js does not import ./scalelab.js');
loader = loader.replaceAll('"./scalelab.js"', `"./${glueName}"`);
// Only the import specifiers: the import object's keys must stay the module name the wasm names.
glue = glue.replace(/from (['"])\.\/__wasm_split\.js\1/g, `from './${loaderName}'`);
writeFileSync(join(out, glueName), glue);
writeFileSync(join(out, loaderName), loader);

// 6. What each lab's deep link needs: its own piece and the chunks its loader waits for.
const chunkFile = {};
for (const [, variable, file] of loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)) {
  chunkFile[variable] = file;
}
const routes = {};
for (const [, split, body] of loader.matchAll(/export const __wasm_split_load_lab_(\w+) = (wrapAsyncCb\(makeLoad\([\s\S]*?\]\)\))/g)) {
  const own = body.match(/new URL\("\.\/([^"]+)"/);
  const deps = body.match(/\[([^\]]*)\]\)\)$/)[1].split(',').map((s) => s.trim()).filter(Boolean);
  routes[split.replaceAll('_', '-')] = [...(own ? [own[1]] : []), ...deps.map((d) => {
    if (!chunkFile[d]) throw new Error(`no file for ${d} in __wasm_split.js`);
    return chunkFile[d];
  })];
}
if (Object.keys(routes).length === 0) throw new Error('no lab pieces found in __wasm_split.js');
const mainWasm = named['scalelab_bg.wasm'];
writeFileSync(join(out, 'routes.json'), JSON.stringify({ main: [glueName, loaderName, mainWasm], labs: routes }, null, 1));

const htmlFile = join(staging, 'index.html');
const html = readFileSync(htmlFile, 'utf8');
// Right after <base>, before the stylesheet: an inline script waits for the stylesheets above it,
// so placed after them it would start the lab's downloads only once the CSS has arrived.
const preloads = `
    <link rel="modulepreload" href="wasm/${glueName}" />
    <link rel="modulepreload" href="wasm/${loaderName}" />
    <link rel="preload" href="wasm/${mainWasm}" as="fetch" type="application/wasm" crossorigin />
    <script>
      // A deep link to a lab fetches that lab's pieces alongside the main ones, not after them.
      (function () {
        var labs = ${JSON.stringify(routes)};
        var base = new URL(document.baseURI).pathname;
        var path = location.pathname.indexOf(base) === 0 ? location.pathname.slice(base.length) : '';
        var m = new RegExp('^labs/([^/]+)').exec(path);
        (m && labs[m[1]] || []).forEach(function (file) {
          var link = document.createElement('link');
          link.rel = 'preload'; link.as = 'fetch'; link.type = 'application/wasm'; link.crossOrigin = 'anonymous';
          link.href = 'wasm/' + file;
          document.head.appendChild(link);
        });
      })();
    </script>`;
const startup = `
    <script type="module">
      // Starts the app; then says so (the benchmark's probe listens), with the wasm's exports.
      // window.wasmBindings: the exported functions (the benchmark reads scalelabFrameTimes()).
      import init, * as bindings from './wasm/${glueName}';
      const wasm = await init({ module_or_path: new URL('wasm/${mainWasm}', document.baseURI) });
      window.wasmBindings = bindings;
      dispatchEvent(new CustomEvent('scalelab-started', { detail: { wasm } }));
    </script>
  </head>`;
const base = html.match(/<base [^>]*>/);
if (!base || !html.includes('</head>')) throw new Error('index.html has no <base> or no </head>');
writeFileSync(htmlFile, html.replace(base[0], base[0] + preloads).replace('</head>', startup));
console.log(`    wasm/: main ${mainWasm}, ${pieces.length} pieces; labs: ${Object.keys(routes).join(', ')}`);

// 7. Precompressed copies (release).
if (release) precompress(staging);
