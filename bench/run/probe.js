// Injected into every app page the benchmark opens, before the app's own scripts (Playwright's
// addInitScript). Records, in window.__probe, times relative to navigation start (performance.now):
// - wasm: each WebAssembly.instantiateStreaming / instantiate call (start, end): download of the
//   streamed module overlaps compilation, so end - start covers fetch + compile + instantiate;
// - started: Trunk's `TrunkApplicationStarted` event (after wasm-bindgen's init resolved, i.e.
//   after `main` mounted the app); its detail.wasm (the instance's exports, with `memory`) is kept
//   as window.__scalelabWasm for the memory samples;
// - interactive: the first moment the page has an enabled play button ([data-testid=play]) AND a
//   metric with a value ([data-testid^=metric-] with a non-empty data-value), checked on every DOM
//   mutation;
// - longtasks: PerformanceObserver 'longtask' entries (tasks over 50 ms);
// - mainFrames (only while __probe.measureFrames is true): per animation frame, the main thread's
//   busy time from the first rAF callback until the next task can run (rAF callbacks, microtasks
//   such as Leptos effects, and the browser's style, layout and paint), measured with a
//   MessageChannel message posted at the start of the frame.
(() => {
  const probe = { wasm: [], started: null, interactive: null, interactiveMetric: null, longtasks: [],
    mainFrames: [], measureFrames: false, rafFrames: 0 };
  window.__probe = probe;

  for (const api of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[api];
    if (typeof original !== 'function') continue;
    WebAssembly[api] = function (...args) {
      const rec = { api, start: performance.now(), end: null };
      probe.wasm.push(rec);
      return original.apply(this, args).then((result) => { rec.end = performance.now(); return result; });
    };
  }

  addEventListener('TrunkApplicationStarted', (event) => {
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

  const check = () => {
    if (probe.interactive !== null) return;
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
    attributeFilter: ['data-value', 'disabled'] });

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
