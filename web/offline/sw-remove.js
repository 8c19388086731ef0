// The sw.js of a build that registers no service worker (debug builds and `trunk serve`): if this
// origin still has ScaleLab's worker from a release build served here before, the browser's update
// check fetches this one, which removes that worker and its caches and reloads the open pages, so a
// development server never shows stale cached files. Written by scripts/build-wasm.mjs.
'use strict';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil((async () => {
  const prefix = `scalelab ${self.registration.scope} `;
  for (const name of await caches.keys()) if (name.startsWith(prefix)) await caches.delete(name);
  await self.registration.unregister();
  for (const client of await self.clients.matchAll({ type: 'window' })) client.navigate(client.url).catch(() => {});
})()));
