// Injected into every app page the benchmark opens, before the app's own scripts (Playwright's
// addInitScript). Records, in window.__probe, times relative to navigation start (performance.now):
// - wasm: every WebAssembly.instantiateStreaming / instantiate call (start, end, and the URL when
//   the source is a fetch Response): the main module (wasm-bindgen's init) and, on a lab page, the
//   lab's split piece and the shared chunks its loader (__wasm_split.js) instantiates. Download
//   of a streamed module overlaps compilation, so end - start covers fetch + compile + instantiate;
// - started: the start-up script's `scalelab-started` event (index.html, written by
//   scripts/build-wasm.mjs: after wasm-bindgen's init resolved, i.e. after `main` mounted the
//   app); its detail.wasm (the main instance's exports, with `memory`) is kept as
//   window.__scalelabWasm for the memory samples;
// - interactive, checked on every DOM mutation:
//   on a lab page (/labs/<slug>): the first moment the page has an enabled play button
//   ([data-testid=play]) AND a metric with a value ([data-testid^=metric-] with a non-empty
//   data-value), so the lab's piece has loaded and the lab has run (not [data-testid=lab-loading]);
//   on any other page (home, `/`): the first moment a lab card with its link is rendered
//   ([data-testid^=lab-card-] holding an a[href*="/labs/"], src/pages/home.rs: one per ready lab);
//   interactiveMetric says which element met the rule; labLoading is when a lab page first showed
//   its loading state ([data-testid=lab-loading], while the lab's piece loads), null if never seen;
// - longtasks: PerformanceObserver 'longtask' entries (tasks over 50 ms);
// - mainFrames (only while __probe.measureFrames is true): per animation frame, the main thread's
//   busy time from the first rAF callback until the next task can run (rAF callbacks, microtasks
//   such as Leptos effects, and the browser's style, layout and paint), measured with a
//   MessageChannel message posted at the start of the frame.
(() => {
  const probe = { wasm: [], started: null, rule: null, labLoading: null, interactive: null, interactiveMetric: null, longtasks: [],
    mainFrames: [], measureFrames: false, rafFrames: 0 };
  window.__probe = probe;

  for (const api of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[api];
    if (typeof original !== 'function') continue;
    WebAssembly[api] = function (...args) {
      const source = args[0];
      const rec = { api, start: performance.now(), end: null,
        url: source instanceof Response ? source.url : null };
      // The split loader hands instantiateStreaming the fetch's promise: its URL once it resolves.
      if (source instanceof Promise) source.then((r) => { rec.url = r?.url ?? null; }, () => {});
      probe.wasm.push(rec);
      return original.apply(this, args).then((result) => { rec.end = performance.now(); return result; });
    };
  }

  addEventListener('scalelab-started', (event) => {
    probe.started = performance.now();
    window.__scalelabWasm = event.detail && event.detail.wasm;
  });

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    probe.longtaskError = String(e);
  }

  const labPage = /\/labs\/[^/]+/.test(location.pathname);
  probe.rule = labPage ? 'lab' : 'home';
  const checkHome = () => {
    const link = document.querySelector('[data-testid^="lab-card-"] a[href*="/labs/"]');
    if (!link) return;
    probe.interactive = performance.now();
    probe.interactiveMetric = link.closest('[data-testid^="lab-card-"]').getAttribute('data-testid');
    observer.disconnect();
  };
  const check = () => {
    if (probe.interactive !== null) return;
    if (!labPage) { checkHome(); return; }
    if (probe.labLoading === null && document.querySelector('[data-testid="lab-loading"]')) {
      probe.labLoading = performance.now();
    }
    const play = document.querySelector('[data-testid="play"]');
    if (!play || play.disabled) return;
    const metric = [...document.querySelectorAll('[data-testid^="metric-"]')]
      .find((m) => (m.getAttribute('data-value') ?? '') !== '');
    if (!metric) return;
    probe.interactive = performance.now();
    probe.interactiveMetric = metric.getAttribute('data-testid');
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-value', 'disabled', 'href'] });

  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    probe.mainFrames.push({ start: event.data, busy: performance.now() - event.data });
  };
  const raf = window.requestAnimationFrame.bind(window);
  let lastStamp = null;
  window.requestAnimationFrame = (callback) => raf((stamp) => {
    if (stamp !== lastStamp) {
      lastStamp = stamp;
      probe.rafFrames++;
      if (probe.measureFrames) channel.port2.postMessage(performance.now());
    }
    callback(stamp);
  });
})();
