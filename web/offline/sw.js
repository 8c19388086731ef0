// ScaleLab's service worker: the app keeps working with the network off after one visit.
//
// scripts/build-wasm.mjs writes it to the build's root as sw.js, after a line
// `const BUILD = {version, shell, pieces, labs, packs, other, mutable}` made from the files it
// wrote (paths relative to the scope, which is the deploy path: `/` or e.g. `/scalelab/`):
//   version  a hash of every file of the build: one cache per version, named after it;
//   shell    index.html (as `./`), the manifest, icons, stylesheet, the start-up JS and main wasm:
//            cached on install, all or nothing;
//   pieces   every wasm piece of the labs (named once; `labs` and `other` give indices into it);
//   labs     each lab's pieces (its own wasm piece and the chunks it needs): cached when the lab
//            is opened (fetched piece by piece, or in its pack), the rest in the background;
//   packs    each lab's pack (wasm/pack_<slug>-<hash>.bin, see build-wasm.mjs): never stored, but
//            answered from the pieces when they are all cached, and cut into pieces when fetched;
//   other    pieces in no lab's list (none today): fetched in the background like a lab's;
//   mutable  the files whose name has no content hash (index.html, the manifest).
//
// Versions: every navigation in the scope gets this version's index.html from the cache (never
// the network's, which may be newer), and that page's files, all content-hashed, come from this
// version's cache. A new deploy's sw.js installs beside the old one and waits; the page
// (web/offline/register.js) shows "ScaleLab was updated — reload", whose button lets the new one
// take over and reloads. So a page only ever runs the files of one version.
'use strict';

const SCOPE = self.registration.scope;
// One cache per version and deploy path (several deploys on one origin share the Cache Storage).
const PREFIX = `scalelab ${SCOPE} `;
const CACHE = PREFIX + BUILD.version;
const at = (path) => new URL(path, SCOPE).href;
const INDEX = at('./');
const MUTABLE = new Set(BUILD.mutable.map(at));
const SHELL = BUILD.shell.map(at);
const PIECES = BUILD.pieces.map(at);
const LABS = Object.fromEntries(Object.entries(BUILD.labs).map(([slug, pieces]) => [slug, pieces.map((i) => PIECES[i])]));
const PACKS = new Map(Object.entries(BUILD.packs).map(([slug, file]) => [at(file), slug]));
const OTHER = BUILD.other.map((i) => PIECES[i]);
const KNOWN = new Set([...SHELL, ...Object.values(LABS).flat(), ...OTHER]);
// Cache lookups ignore \`Vary: Accept-Encoding\` (what is stored is the decoded body anyway).
const ANY = { ignoreVary: true };
// The background fetch starts when no page has fetched anything for this long.
const IDLE_MS = 10_000;

self.addEventListener('install', (event) => event.waitUntil(install()));
self.addEventListener('activate', (event) => event.waitUntil(activate()));
self.addEventListener('fetch', onFetch);
self.addEventListener('message', onMessage);

// --- Install: the shell, all or nothing (a failed install is retried on the next visit). ---
async function install() {
  const cache = await caches.open(CACHE);
  const older = await olderCaches();
  // index.html must be this version's: a deploy between the browser's fetch of sw.js and this
  // one would otherwise pair this version's files with the next one's page.
  const index = await fetch(INDEX, { cache: 'no-cache' });
  if (!index.ok) throw new Error(`index.html: HTTP ${index.status}`);
  if (!(await index.clone().text()).includes(`name="scalelab-version" content="${BUILD.version}"`)) {
    throw new Error('index.html is not of this version (a newer deploy?): installing on the next visit');
  }
  await cache.put(INDEX, await plain(index));
  await Promise.all(SHELL.filter((u) => u !== INDEX).map(async (u) => {
    // A content-hashed file an older version cached is the same file: no download.
    const old = MUTABLE.has(u) ? null : await matchIn(older, u);
    if (old) return cache.put(u, old);
    const response = await fetch(u, { cache: MUTABLE.has(u) ? 'no-cache' : 'default' });
    if (!response.ok) throw new Error(`${u}: HTTP ${response.status}`);
    return cache.put(u, await plain(response));
  }));
  // The pieces an older version had that this one still uses (an update downloads only what changed).
  for (const u of KNOWN) {
    if (MUTABLE.has(u) || SHELL.includes(u)) continue;
    const old = await matchIn(older, u);
    if (old) await cache.put(u, old);
  }
}

// --- Activate: take over the open pages of a first visit; drop the older versions' caches. ---
async function activate() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
  }
  await self.clients.claim();
}

// --- Fetch: this version's files from its cache, else the network (and then cached). ---
let inFlight = 0;
let lastFetch = Date.now();

function onFetch(event) {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  const url = new URL(request.url);
  const key = url.origin + url.pathname;
  let answer;
  if (request.mode === 'navigate' && !KNOWN.has(key)) answer = page(request);
  else if (PACKS.has(key)) answer = pack(event, PACKS.get(key));
  else if (KNOWN.has(key)) answer = file(event, key);
  // A file of another version (a page still open from before an update): any cache that has it.
  else if (url.pathname.includes('/wasm/')) answer = caches.match(key, ANY).then((hit) => hit ?? fetch(request));
  else return;
  inFlight += 1;
  const done = () => { inFlight -= 1; lastFetch = Date.now(); };
  answer.then(done, done);
  event.respondWith(answer);
}

// Every page of the app is index.html (the app routes itself): this version's.
async function page(request) {
  return (await caches.match(INDEX, { ...ANY, cacheName: CACHE })) ?? fetch(request);
}

async function file(event, key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key, ANY);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(plain(response.clone()).then((copy) => cache.put(key, copy)).catch(() => {}));
  return response;
}

// A lab's pack: made from its cached pieces when all are there (offline too); else fetched, and
// its pieces cached on the way.
async function pack(event, slug) {
  const cache = await caches.open(CACHE);
  const hits = await Promise.all(LABS[slug].map((u) => cache.match(u, ANY)));
  if (hits.every(Boolean)) return packOf(LABS[slug], hits);
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(unpack(response.clone(), slug, cache).catch(() => {}));
  return response;
}

// The pack format (scripts/build-wasm.mjs): a 4-byte little-endian length, that many bytes of JSON
// {file name: [offset, length]} (offsets from the end of the JSON), then the pieces.
async function packOf(urls, responses) {
  const bodies = await Promise.all(responses.map((r) => r.arrayBuffer()));
  let offset = 0;
  const index = {};
  urls.forEach((u, i) => {
    index[u.split('/').pop()] = [offset, bodies[i].byteLength];
    offset += bodies[i].byteLength;
  });
  const json = new TextEncoder().encode(JSON.stringify(index));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.length, true);
  return new Response(new Blob([length, json, ...bodies]), { headers: { 'Content-Type': 'application/octet-stream' } });
}

async function unpack(response, slug, cache) {
  const buffer = await response.arrayBuffer();
  const length = new DataView(buffer).getUint32(0, true);
  const index = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
  const byName = new Map(LABS[slug].map((u) => [u.split('/').pop(), u]));
  await Promise.all(Object.entries(index).map(([name, [offset, size]]) => {
    const u = byName.get(name);
    if (!u) return null;
    const body = buffer.slice(4 + length + offset, 4 + length + offset + size);
    return cache.put(u, new Response(body, { headers: { 'Content-Type': 'application/wasm' } }));
  }));
}

// --- Messages from the pages (web/offline/register.js). ---
function onMessage(event) {
  const message = event.data ?? {};
  if (message.type === 'skip-waiting') {
    // The learner pressed "Reload" on the update notice.
    self.skipWaiting();
  } else if (message.type === 'version') {
    event.source?.postMessage({ type: 'version', version: BUILD.version });
  } else if (message.type === 'loaded' && Array.isArray(message.urls)) {
    // What a page fetched before this worker controlled it (a first visit): cache it now.
    event.waitUntil(cacheLoaded(message.urls).catch(() => {}));
  } else if (message.type === 'prefetch') {
    event.waitUntil(prefetch());
  }
}

async function cacheLoaded(urls) {
  const cache = await caches.open(CACHE);
  for (const raw of urls) {
    const url = new URL(raw);
    const key = url.origin + url.pathname;
    if (PACKS.has(key)) {
      await cacheLab(PACKS.get(key), cache);
    } else if (KNOWN.has(key) && !(await cache.match(key, ANY))) {
      const response = await fetch(key);
      if (response.ok) await cache.put(key, await plain(response));
    }
  }
}

// The background fetch: every lab not cached yet, one pack at a time, each when no page has
// fetched anything for IDLE_MS; never with the browser's data saver on. Stops at the first
// failure (offline) or when a newer version arrives: the next page load asks again.
let prefetching = null;
function prefetch() {
  prefetching ??= (async () => {
    const cache = await caches.open(CACHE);
    for (const slug of Object.keys(LABS)) {
      if (await labCached(slug, cache)) continue;
      await idle();
      if (saveData()) return;
      await cacheLab(slug, cache);
    }
    for (const u of OTHER) {
      if (await cache.match(u, ANY)) continue;
      await idle();
      const response = await fetch(u);
      if (response.ok) await cache.put(u, response);
    }
  })().catch(() => {}).finally(() => { prefetching = null; });
  return prefetching;
}

async function cacheLab(slug, cache) {
  if (await labCached(slug, cache)) return;
  const response = await fetch(at(BUILD.packs[slug]), { priority: 'low' });
  if (!response.ok) throw new Error(`pack ${slug}: HTTP ${response.status}`);
  await unpack(response, slug, cache);
}

async function labCached(slug, cache) {
  for (const u of LABS[slug]) if (!(await cache.match(u, ANY))) return false;
  return true;
}

// Waits until the connection is idle. Gives up when a newer version is installing or waiting:
// a worker busy with an event (this fetch runs inside one) keeps the next one from taking over.
async function idle() {
  for (;;) {
    if (self.registration.installing || self.registration.waiting) throw new Error('a newer version is on its way');
    if (inFlight === 0 && Date.now() - lastFetch >= IDLE_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function saveData() {
  return Boolean(self.navigator.connection?.saveData);
}

// --- Helpers. ---
async function olderCaches() {
  const names = (await caches.keys()).filter((n) => n.startsWith(PREFIX) && n !== CACHE);
  return Promise.all(names.map((n) => caches.open(n)));
}

async function matchIn(cacheList, url) {
  for (const cache of cacheList) {
    const hit = await cache.match(url, ANY);
    if (hit) return hit;
  }
  return null;
}

// A response fit to answer a navigation: a redirected one (a host that sends / to /index.html and
// back) is refused by browsers there, so it is copied into a fresh one.
async function plain(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers });
}
