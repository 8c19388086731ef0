// The Rust half of every build, run by Trunk as a post_build hook (Trunk.toml): Trunk has no
// step to split a wasm, so this script takes the whole Rust pipeline over.
//
//  1. cargo build (release or debug, as Trunk's profile) with relocations kept (--emit-relocs),
//     in its own target dir (target/split) so it never invalidates the other builds;
//  2. wasm-split-cli cuts the wasm at every split point (`lab_entry!`): a main module, one piece
//     per lab (`split_lab_<slug>.wasm`) and chunks of code several labs share (`chunk_N.wasm`),
//     plus the loader `__wasm_split.js`;
//  3. wasm-bindgen writes the JS glue for the main module;
//  4. wasm-opt -Oz on every piece (release only; an unchanged piece's result is reused from
//     target/split/wasm-opt-cache);
//  5. every file gets a content hash in its name, under wasm/ in the build;
//  6. one pack per lab (its piece and chunks in one file, for a deep link's first load);
//     index.html gets the start-up script and preloads: the main pieces, and (by a small inline
//     script reading the address) the pack of the lab a deep link opens, fetched in parallel;
//  7. the web app manifest and icons; in a release build (not under `trunk serve`) the service
//     worker sw.js (web/offline/sw.js with this build's file list and version) and its
//     registration, imported by the start-up script once the app has started;
//  8. release builds get precompressed .gz/.br copies of every file (scripts/precompress.mjs).
//
// Usage: run by `trunk build` / `trunk serve` (reads TRUNK_PROFILE and TRUNK_STAGING_DIR).
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  const args = ['-Oz', ...FEATURES];
  // Optimised pieces are kept by a hash of their input and the arguments: a piece that did not
  // change (most of them after an edit to one lab; all of them in the sub-path build) is copied,
  // not optimised again.
  const cache = join(targetDir, 'wasm-opt-cache');
  mkdirSync(cache, { recursive: true });
  const start = Date.now();
  let reused = 0;
  // One wasm-opt per core at a time, biggest pieces first.
  const queue = [...wasmFiles].sort((a, b) => statSync(b).size - statSync(a).size);
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const key = join(cache, `${createHash('sha256').update(JSON.stringify(args)).update(readFileSync(file)).digest('hex')}.wasm`);
      if (existsSync(key)) {
        copyFileSync(key, file);
        reused += 1;
      } else {
        await execFileAsync(wasmOpt, [...args, file, '-o', file]);
        copyFileSync(file, key);
      }
    }
  };
  await Promise.all(Array.from({ length: availableParallelism() }, worker));
  console.log(`    wasm-opt -Oz on ${wasmFiles.length - reused} pieces, ${reused} unchanged ones reused (${((Date.now() - start) / 1000).toFixed(1)} s)`);
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
// A deep link's first load takes its lab's pieces from one pack (step 6): every fetch of a piece
// goes through packedFetch (appended below), which serves it from the pack when the pack holds it.
const pieceFetch = /\bfetch\(new URL\("\.\/([^"]+\.wasm)", import\.meta\.url\)\)/g;
const fetched = [...loader.matchAll(pieceFetch)].map((m) => m[1]);
const expected = new Set(pieces.map((p) => named[p]));
if (fetched.length !== expected.size || !fetched.every((f) => expected.has(f))) {
  throw new Error(`__wasm_split.js no longer fetches each piece as fetch(new URL("./<piece>", import.meta.url)): `
    + `found ${fetched.length} such fetches for ${expected.size} pieces; update the packedFetch patch`);
}
loader = loader.replace(pieceFetch, 'packedFetch(new URL("./$1", import.meta.url))') + `
// Added by scripts/build-wasm.mjs. A piece the deep link's pack holds (window.__scalelabPack, set by
// index.html's start-up script: a promise of {file name: bytes}, or null if the pack failed) is
// served from it, once (a later fetch, e.g. a retry, goes to the network); any other from the network.
async function packedFetch(url) {
  const pack = await globalThis.__scalelabPack;
  const name = url.pathname.split('/').pop();
  const bytes = pack && pack[name];
  if (!bytes) return fetch(url);
  delete pack[name];
  // The wasm content type lets instantiateStreaming compile it as it would a fetched piece.
  return new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } });
}
`;
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
for (const [, variable, file] of loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = packedFetch\(new URL\("\.\/([^"]+)"/g)) {
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

// One pack per lab for its deep link: the lab's pieces in one file, so they compress as one stream
// (11-21 KB gzip, 19-33 KB brotli less than one by one, with seven labs) and come in one request.
// Layout: a 4-byte little-endian length, then that many bytes of JSON {file name: [offset, length]}
// (offsets from the end of the JSON), then the pieces. A truncated or unreadable pack makes the
// start-up script's promise null, and the loader fetches the pieces alone. Moving to a lab inside the app still fetches its pieces one by one (the
// chunks it shares with labs already open are not downloaded again).
const packs = {};
for (const [slug, lab] of Object.entries(routes)) {
  // Smallest first: the small chunks are much alike (import and export sections) and gzip only
  // looks 32 KB back; measured 1-3 KB gzip less per route than the loader's order (brotli, which
  // looks much further back, up to 1 KB more).
  const files = [...lab].sort((a, b) => statSync(join(out, a)).size - statSync(join(out, b)).size);
  const bodies = files.map((f) => readFileSync(join(out, f)));
  let offset = 0;
  const index = Object.fromEntries(files.map((f, i) => {
    const entry = [f, [offset, bodies[i].length]];
    offset += bodies[i].length;
    return entry;
  }));
  const header = Buffer.from(JSON.stringify(index));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const pack = Buffer.concat([length, header, ...bodies]);
  packs[slug] = `pack_${slug}-${hash(pack)}.bin`;
  writeFileSync(join(out, packs[slug]), pack);
}
const mainWasm = named['scalelab_bg.wasm'];
writeFileSync(join(out, 'routes.json'), JSON.stringify({ main: [glueName, loaderName, mainWasm], labs: routes, packs }, null, 1));

const htmlFile = join(staging, 'index.html');
const html = readFileSync(htmlFile, 'utf8');
// Right after <base>, before the stylesheet: an inline script waits for the stylesheets above it,
// so placed after them it would start the lab's downloads only once the CSS has arrived.
const preloads = `
    <link rel="modulepreload" href="wasm/${glueName}" />
    <link rel="modulepreload" href="wasm/${loaderName}" />
    <link rel="preload" href="wasm/${mainWasm}" as="fetch" type="application/wasm" crossorigin />
    <script>
      // A deep link to a lab fetches that lab's code with the main wasm, not after it: one pack
      // (wasm/pack_<slug>-<hash>.bin, see scripts/build-wasm.mjs) that __wasm_split.js's
      // packedFetch serves the lab's pieces from. window.__scalelabPack: a promise of
      // {file name: bytes}; null if the pack fails (then the pieces are fetched one by one).
      (function () {
        var packs = ${JSON.stringify(packs)};
        var base = new URL(document.baseURI).pathname;
        var path = location.pathname.indexOf(base) === 0 ? location.pathname.slice(base.length) : '';
        var m = new RegExp('^labs/([^/]+)').exec(path);
        var pack = m && packs[m[1]];
        if (!pack) return;
        window.__scalelabPack = fetch('wasm/' + pack).then(function (response) {
          if (!response.ok) throw new Error(response.status + ' ' + response.url);
          return response.arrayBuffer();
        }).then(function (buffer) {
          var length = new DataView(buffer).getUint32(0, true);
          var index = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
          var files = {};
          Object.keys(index).forEach(function (name) {
            files[name] = new Uint8Array(buffer, 4 + length + index[name][0], index[name][1]);
          });
          return files;
        }).catch(function (error) {
          console.warn("The lab's pack did not load; fetching its pieces one by one.", error);
          return null;
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

// 7. Installable and offline.
offlineAndInstall({ glueName, loaderName, mainWasm, routes, packs, pieces: pieces.map((p) => named[p]) });

// 8. Precompressed copies (release).
if (release) precompress(staging);

// The web app manifest and its icons, and (release builds not under `trunk serve`) the service
// worker, whose file list and version come from the files written above (web/offline/sw.js).
function offlineAndInstall({ glueName, loaderName, mainWasm, routes, packs, pieces }) {
  // Icons, content-hashed (rendered from public/favicon.svg by scripts/render-icons.mjs).
  mkdirSync(join(staging, 'icons'), { recursive: true });
  const icon = {};
  for (const name of ['icon-192.png', 'icon-512.png', 'icon-maskable-512.png', 'apple-touch-icon.png']) {
    const bytes = readFileSync(join(root, 'public', name));
    icon[name] = `icons/${name.replace(/\.png$/, '')}-${hash(bytes)}.png`;
    writeFileSync(join(staging, icon[name]), bytes);
  }
  // Paths relative to the manifest, which sits at the deploy path's root: start_url and scope are
  // that path whatever --public-url was. No `id`: it would resolve against the origin, not the
  // deploy path (two deploys on one host would be one app); without it the id is start_url. The colours are style/main.css's (light): --bg behind
  // the splash screen, --surface (the header) for the title bar; index.html's theme-color metas
  // give the dark theme's too.
  const manifest = {
    name: 'ScaleLab: scalability labs',
    short_name: 'ScaleLab',
    description: 'Interactive labs that teach scalability patterns by running them: consistent hashing, '
      + 'replication, caching, circuit breakers, capacity planning, load balancing, rate limiting, sharding, '
      + 'queues and autoscaling. Works offline.',
    start_url: './',
    scope: './',
    display: 'standalone',
    background_color: '#f7f8fa',
    theme_color: '#ffffff',
    icons: [
      { src: icon['icon-192.png'], sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: icon['icon-512.png'], sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: icon['icon-maskable-512.png'], sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
  writeFileSync(join(staging, 'manifest.webmanifest'), `${JSON.stringify(manifest, null, 2)}\n`);

  let page = readFileSync(htmlFile, 'utf8');
  if (!page.includes('rel="manifest"')) throw new Error('web/index.html has no <link rel="manifest">');
  page = page.replace('</head>', `  <link rel="apple-touch-icon" href="${icon['apple-touch-icon.png']}" />\n  </head>`);

  // No service worker under `trunk serve` (stale caches while developing; Trunk's live-reload
  // script marks its builds) nor in debug builds: their sw.js removes one a release build left.
  const underServe = page.includes('.well-known/trunk/ws');
  if (!release || underServe) {
    writeFileSync(htmlFile, page);
    copyFileSync(join(root, 'web', 'offline', 'sw-remove.js'), join(staging, 'sw.js'));
    console.log(`    manifest; no service worker (${release ? 'trunk serve' : 'debug build'})`);
    return;
  }
  const register = readFileSync(join(root, 'web', 'offline', 'register.js'));
  const offlineName = `offline-${hash(register)}.js`;
  writeFileSync(join(out, offlineName), register);
  // Imported once the app has started: the worker never delays the first render.
  page = page.replace("dispatchEvent(new CustomEvent('scalelab-started', { detail: { wasm } }));",
    (started) => `${started}\n      import('./wasm/${offlineName}').catch(() => {});`);
  if (!page.includes(offlineName)) throw new Error('index.html: no start-up script to import the offline module from');

  const rootFiles = readdirSync(staging).filter((f) => /\.(css|svg)$/.test(f));
  const wasm = (f) => `wasm/${f}`;
  const shell = ['./', 'manifest.webmanifest', ...rootFiles, ...Object.values(icon),
    ...[glueName, loaderName, mainWasm, offlineName].map(wasm)];
  // Each piece named once; a lab lists its pieces by their index (most chunks serve several labs).
  const index = new Map(pieces.map((p, i) => [p, i]));
  const inLabs = new Set(Object.values(routes).flat());
  const build = {
    version: '',
    shell,
    pieces: pieces.map(wasm),
    labs: Object.fromEntries(Object.entries(routes).map(([slug, files]) => [slug, files.map((f) => index.get(f))])),
    packs: Object.fromEntries(Object.entries(packs).map(([slug, f]) => [slug, wasm(f)])),
    other: pieces.filter((p) => !inLabs.has(p)).map((p) => index.get(p)),
    mutable: ['./', 'manifest.webmanifest'],
  };
  if (Object.values(build.labs).flat().some((i) => i === undefined)) throw new Error('a lab needs a piece the split did not write');
  // The version: a hash of every file the worker serves (index.html as it is now, before the
  // version goes in) and of the worker itself, so any change to the deploy makes a new one.
  const worker = readFileSync(join(root, 'web', 'offline', 'sw.js'), 'utf8');
  const versionHash = createHash('sha256').update(worker).update(page);
  for (const f of [...shell.slice(1), ...pieces.map(wasm), ...Object.values(build.packs)].sort()) {
    versionHash.update(f).update(readFileSync(join(staging, f)));
  }
  build.version = versionHash.digest('hex').slice(0, 16);
  // The worker's install checks this, so it never caches another deploy's index.html.
  page = page.replace(base[0], `${base[0]}\n    <meta name="scalelab-version" content="${build.version}" />`);
  writeFileSync(htmlFile, page);
  writeFileSync(join(staging, 'sw.js'), `// Generated by scripts/build-wasm.mjs from web/offline/sw.js.\nconst BUILD = ${JSON.stringify(build)};\n${worker}`);
  console.log(`    manifest; service worker ${build.version} (${shell.length} shell files, ${pieces.length} lab pieces)`);
}
