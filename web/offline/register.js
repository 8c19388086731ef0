// Registers ScaleLab's service worker (sw.js, see web/offline/sw.js) and says when a new version
// is ready: "ScaleLab was updated" with a Reload button.
//
// scripts/build-wasm.mjs copies it to wasm/offline-<hash>.js in a release build (not under
// `trunk serve`); index.html's start-up script imports it once the app has started, so it never
// delays the first render. Where service workers are missing or refused (an insecure origin,
// file://, a private window, some WebKit builds) it does nothing, quietly: the app works online
// as before.
//
// What it tells the worker: the files this page fetched before the worker controlled it (a first
// visit: they are cached too), and "prefetch the other labs" (the worker waits until the
// connection has been idle, and skips it when the browser's data saver is on, as this page does).

let sw = null;
try {
  sw = navigator.serviceWorker ?? null;
} catch {
  // Some contexts (a sandboxed frame) throw on reading it.
}
let pressed = false;

async function start() {
  // Let the page finish loading (a deep link's lab code is still on its way) before the worker
  // downloads the shell.
  if (document.readyState !== 'complete') await new Promise((resolve) => addEventListener('load', resolve, { once: true }));
  await new Promise((resolve) => (self.requestIdleCallback ? requestIdleCallback(resolve, { timeout: 5000 }) : setTimeout(resolve, 1000)));
  const hadController = Boolean(sw.controller);
  const registration = await sw.register(new URL('sw.js', document.baseURI), { scope: new URL('./', document.baseURI).pathname });

  // An update: a new worker installed while this page runs an older one.
  const watch = (worker) => {
    if (!worker) return;
    const check = () => { if (worker.state === 'installed' && sw.controller) showNotice(registration); };
    check();
    worker.addEventListener('statechange', check);
  };
  watch(registration.waiting);
  watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
  sw.addEventListener('controllerchange', () => {
    if (pressed) location.reload();
    // Another tab applied the update: this page's files are the old version's.
    else if (hadController) showNotice(registration);
    else tellWorker();
  });

  await sw.ready;
  tellWorker();
}

// What this page fetched itself (before the worker controlled it), and the background fetch.
function tellWorker() {
  const worker = sw.controller ?? null;
  if (!worker) return;
  const urls = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.includes('/wasm/'));
  worker.postMessage({ type: 'loaded', urls });
  const connection = navigator.connection;
  if (navigator.onLine && !connection?.saveData && !/2g/.test(connection?.effectiveType ?? '')) {
    worker.postMessage({ type: 'prefetch' });
  }
}

let region = null;
// The notice lives in a polite live region made beforehand, so screen readers announce it.
function liveRegion() {
  if (!region) {
    region = document.createElement('div');
    region.className = 'update-region';
    region.setAttribute('role', 'status');
    document.body.append(region);
  }
  return region;
}

function showNotice(registration) {
  const host = liveRegion();
  if (host.firstChild) return;
  const notice = document.createElement('div');
  notice.className = 'update-notice';
  notice.dataset.testid = 'update-notice';
  const text = document.createElement('p');
  text.textContent = 'ScaleLab was updated.';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.className = 'button primary small';
  reload.dataset.testid = 'update-reload';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => {
    pressed = true;
    reload.disabled = true;
    const waiting = registration.waiting;
    // The new worker takes over (controllerchange then reloads); if it already has, reload now.
    if (waiting) {
      waiting.postMessage({ type: 'skip-waiting' });
      setTimeout(() => location.reload(), 10_000);
    } else {
      location.reload();
    }
  });
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.className = 'icon-button';
  dismiss.setAttribute('aria-label', 'Dismiss: the update applies when ScaleLab is next opened');
  dismiss.textContent = '\u00d7';
  dismiss.addEventListener('click', () => notice.remove());
  notice.append(text, reload, dismiss);
  host.append(notice);
}

if (sw) {
  // The live region exists (empty, unseen) before anything is announced in it.
  liveRegion();
  start().catch((error) => console.debug('ScaleLab works online only here (no service worker):', error?.message ?? error));
}
