// Injected by e2e/serve.mjs (E2E_INJECT) at the top of index.html for the cross-browser run:
// WebKitWebDriver has no console log and no BiDi, so the page itself keeps every uncaught error,
// unhandled rejection, failed resource load and console.error in window.__scalelabErrors, which
// e2e-cross/run.mjs reads (the same way in every browser).
(function () {
  var errors = (window.__scalelabErrors = []);
  function text(v) {
    if (v instanceof Error) return v.name + ': ' + v.message;
    try { return typeof v === 'string' ? v : JSON.stringify(v); } catch (e) { return String(v); }
  }
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t !== window && t.tagName) {
      errors.push('failed to load <' + t.tagName.toLowerCase() + '> ' + (t.src || t.href || ''));
    } else {
      errors.push('uncaught ' + (e.error ? text(e.error) : e.message) + ' (' + e.filename + ':' + e.lineno + ')');
    }
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    errors.push('unhandled rejection: ' + text(e.reason));
  });
  var original = console.error;
  console.error = function () {
    errors.push('console.error: ' + Array.prototype.map.call(arguments, text).join(' '));
    return original.apply(this, arguments);
  };
})();
