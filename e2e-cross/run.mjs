// The cross-browser check: home and every ready lab of the registry, in Debian's Chromium (through
// Playwright, which gives the expected numbers), then in Firefox ESR (headless, geckodriver) and in
// WebKitGTK's MiniBrowser (Safari's engine, WebKitWebDriver under Xvfb), both through Selenium.
//
// Per lab and browser: open `/labs/<slug>?mode=sandbox&until=<t>`, wait until the clock shows t and
// the numbers settle, compare every metric card with Chromium's, press Step and the lab's own button
// of PRESS (same numbers as Chromium again), then Play and Pause (the clock moves, then stops), then
// (a time-driven lab) move the timeline back to the start's moment (the same numbers again) and
// forward to where Play stopped (the run replayed, the press included: the numbers shown there). Home:
// every lab card renders, and a card's link opens its lab, which plays. Any uncaught error, unhandled
// rejection, failed load or console.error fails the page: e2e/serve.mjs injects catch-errors.js at the
// top of index.html (WebKitWebDriver has no console log); Playwright's events add Chromium's console
// and Firefox's come over WebDriver BiDi too.
//
// Usage: node e2e-cross/run.mjs [chromium,firefox,webkit]   (default: all three; Chromium always runs
// first when another browser is named, since it gives the expected values)
// Env: CROSS_DIST (dist), CROSS_PORT (4175), GECKODRIVER, FIREFOX_BIN, WEBKIT_DRIVER, MINIBROWSER,
// CHROMIUM_PATH. Writes target/cross-browser/chromium.json (the expected values). Exits 1 on any
// failure, naming the browser, the page and what failed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { Builder, By } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import remote from 'selenium-webdriver/remote/index.js';
import portprober from 'selenium-webdriver/net/portprober.js';
import LogInspector from 'selenium-webdriver/bidi/logInspector.js';
import { registryLabs } from '../e2e/helpers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = (process.argv[2] ?? 'chromium,firefox,webkit').split(',');
const browsers = ['chromium', ...wanted.filter((b) => b !== 'chromium')];

// WebKit has no headless mode: run the whole check under a virtual display.
if (browsers.includes('webkit') && !process.env.DISPLAY && !process.env.CROSS_UNDER_XVFB) {
  const r = spawnSync('xvfb-run', ['-a', '-s', '-screen 0 1280x1024x24', process.execPath, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, CROSS_UNDER_XVFB: '1' } });
  process.exit(r.status ?? 1);
}

const dist = process.env.CROSS_DIST ?? 'dist';
const port = Number(process.env.CROSS_PORT ?? 4175);
const BASE = `http://127.0.0.1:${port}/`;
// The fast-forward every lab is opened with: short, so WebKit's slower frames stay quick.
const UNTIL = 2;
// How long a page may take to settle after an action, per browser (WebKit is slow at sliced work).
const TIMEOUT = { chromium: 30_000, firefox: 60_000, webkit: 120_000 };

// One button per lab (beyond Step and Play, which every clocked lab has) and what it must do.
// Pressed while paused at UNTIL, so the numbers after it are compared with Chromium's too.
const PRESS = {
  'hash-ring': { testid: 'add-node', says: 'metric nodes goes up by one',
    ok: (before, after) => Number(after.metrics.nodes) === Number(before.metrics.nodes) + 1 },
  autoscaling: { testid: 'kill-instance', says: 'one ready instance fewer',
    ok: (before, after) => Number(after.metrics['ready-replicas']) === Number(before.metrics['ready-replicas']) - 1 },
};

const labs = registryLabs();
const ready = labs.filter((l) => l.ready);

// --- In the page: state read after two animation frames (so a click's effects have rendered). ---
const PROBE = `
  const done = arguments[arguments.length - 1];
  const read = () => {
    const t = (id) => document.querySelector('[data-testid="' + id + '"]');
    const metrics = {};
    for (const el of document.querySelectorAll('[data-testid^="metric-"][data-value]')) {
      metrics[el.getAttribute('data-testid').slice('metric-'.length)] = el.getAttribute('data-value');
    }
    const cards = [...document.querySelectorAll('[data-testid^="lab-card-"]')].map((el) => ({
      slug: el.getAttribute('data-testid').slice('lab-card-'.length),
      soon: /coming soon/i.test(el.textContent),
      link: (el.querySelector('a') || {}).pathname || null,
    }));
    return {
      path: location.pathname,
      app: !!document.querySelector('.site-header .brand'),
      loading: !!t('lab-loading') || !!t('lab-load-error'),
      busy: ['fast-forward', 'placement-progress', 'migration-progress'].filter((id) => t(id)),
      clock: t('sim-time') ? t('sim-time').getAttribute('data-value') : null,
      playing: t('play') ? t('play').getAttribute('aria-pressed') : null,
      hasStep: !!t('step'),
      hasTimeline: !!t('timeline'),
      heading: (document.querySelector('h1') || {}).textContent || '',
      metrics, cards,
      errors: (window.__scalelabErrors || ['the error catcher is missing (E2E_INJECT not served?)']).slice(),
    };
  };
  let frames = 0;
  const tick = () => (++frames >= 2 ? done(read()) : requestAnimationFrame(tick));
  requestAnimationFrame(tick);
`;

// --- Browser adapters: goto, probe, click (a real click through the driver). ---
async function openChromium() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const native = [];
  page.on('pageerror', (err) => native.push(`pageerror: ${err}`));
  page.on('console', (msg) => { if (msg.type() === 'error') native.push(`console: ${msg.text()}`); });
  return {
    goto: (url) => page.goto(url),
    probe: () => page.evaluate((src) => new Promise((done) => new Function(src)(done)), PROBE),
    click: (css) => page.locator(css).first().click(),
    script: (js) => page.evaluate(js),
    takeNativeErrors: () => native.splice(0),
    close: () => browser.close(),
  };
}

function seleniumAdapter(driver, close, native = []) {
  return {
    goto: (url) => driver.get(url),
    probe: () => driver.executeAsyncScript(PROBE),
    click: async (css) => (await driver.findElement(By.css(css))).click(),
    script: (js) => driver.executeScript(js),
    takeNativeErrors: () => native.splice(0),
    close,
  };
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

async function openFirefox() {
  const gecko = process.env.GECKODRIVER ?? which('geckodriver') ?? join(homedir(), '.cargo/bin/geckodriver');
  const options = new firefox.Options().addArguments('-headless').setBinary(process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr');
  options.windowSize({ width: 1280, height: 900 });
  options.enableBidi();
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options)
    .setFirefoxService(new firefox.ServiceBuilder(gecko)).build();
  await driver.manage().setTimeouts({ script: 30_000 });
  // Firefox also reports its console over WebDriver BiDi: errors the browser itself logs (a failed
  // module load, a wasm compile error) besides the page's own.
  const native = [];
  const inspector = await LogInspector(driver);
  await inspector.onConsoleEntry((e) => { if (e.level === 'error') native.push(`console: ${e.text}`); });
  await inspector.onJavascriptLog((e) => { if (e.level === 'error') native.push(`javascript: ${e.text}`); });
  return seleniumAdapter(driver, () => driver.quit(), native);
}

async function openWebKit() {
  const port = await portprober.findFreePort();
  const service = new remote.DriverService(process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver', {
    port, args: [`--port=${port}`], loopback: true,
  });
  const url = await service.start(30_000);
  const driver = await new Builder().usingServer(url).withCapabilities({
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': {
      binary: process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
      args: ['--automation'],
    },
  }).build();
  await driver.manage().setTimeouts({ script: 60_000 });
  await driver.manage().window().setRect({ width: 1280, height: 900 }).catch(() => {});
  return seleniumAdapter(driver, async () => { await driver.quit().catch(() => {}); await service.kill(); });
}

// --- Waiting: poll the page (every probe waits two frames) until a condition holds. ---
class Failure extends Error {}

function summary(s) {
  if (!s) return 'no state read';
  return `path ${s.path}, clock ${s.clock}, playing ${s.playing}, busy [${s.busy}], loading ${s.loading}`;
}

async function waitFor(page, what, timeout, ok) {
  const end = Date.now() + timeout;
  let s;
  for (;;) {
    s = await page.probe();
    if (ok(s)) return s;
    if (Date.now() > end) throw new Failure(`timed out after ${timeout / 1000} s waiting for ${what} (${summary(s)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for `ok` and then for the clock and every metric to stay the same over three probes. */
async function settle(page, what, timeout, ok) {
  const end = Date.now() + timeout;
  let last = null;
  let same = 0;
  for (;;) {
    const s = await waitFor(page, what, Math.max(1, end - Date.now()), (st) => st.app && !st.loading && st.busy.length === 0 && ok(st));
    const key = JSON.stringify([s.clock, s.playing, s.metrics]);
    same = key === last ? same + 1 : 0;
    last = key;
    if (same >= 2) return s;
    if (Date.now() > end) throw new Failure(`timed out after ${timeout / 1000} s waiting for the numbers to settle (${what})`);
  }
}

function compareMetrics(what, got, want) {
  const problems = [];
  for (const [name, value] of Object.entries(want)) {
    if (!(name in got)) problems.push(`metric ${name} missing (Chromium: ${value})`);
    else if (got[name] !== value) problems.push(`metric ${name} = ${got[name]} (Chromium: ${value})`);
  }
  for (const name of Object.keys(got)) if (!(name in want)) problems.push(`metric ${name} = ${got[name]} not shown in Chromium`);
  if (problems.length) throw new Failure(`${what}: ${problems.join('; ')}`);
}

function checkErrors(page, s) {
  const errors = [...(s?.errors ?? []), ...page.takeNativeErrors()];
  if (errors.length) throw new Failure(`errors in the page: ${[...new Set(errors)].join(' | ')}`);
}

// --- The checks. `record` gathers what Chromium shows; `expected` is Chromium's, for the others. ---
async function checkHome(page, timeout) {
  await page.goto(BASE);
  const s = await waitFor(page, 'the lab cards', timeout, (st) => st.app && st.cards.length >= labs.length);
  for (const { slug, ready: isReady } of labs) {
    const card = s.cards.find((c) => c.slug === slug);
    if (!card) throw new Failure(`no card for ${slug}`);
    if (isReady && (card.soon || card.link !== `/labs/${slug}`)) throw new Failure(`card ${slug} should link to /labs/${slug} (link ${card.link}, soon ${card.soon})`);
    if (!isReady && !card.soon) throw new Failure(`card ${slug} should say Coming soon`);
  }
  checkErrors(page, s);
  // A card's link opens its lab (in the app, no reload), which becomes interactive: Play runs it.
  const slug = ready[0].slug;
  await page.click(`[data-testid="lab-card-${slug}"] a`);
  const lab = await waitFor(page, `the ${slug} page after clicking its card`, timeout,
    (st) => st.path === `/labs/${slug}` && st.app && !st.loading && st.busy.length === 0 && st.playing !== null);
  if (!lab.heading) throw new Failure(`the ${slug} page has no heading`);
  await page.click('[data-testid="play"]');
  await waitFor(page, `${slug} to play after opening it from home`, timeout, (st) => st.playing === 'true' && Number(st.clock) > 0);
  await page.click('[data-testid="play"]');
  const end = await settle(page, `${slug} to pause`, timeout, (st) => st.playing === 'false');
  checkErrors(page, end);
}

async function checkLab(page, slug, timeout, expected, record) {
  await page.goto(`${BASE}labs/${slug}?mode=sandbox&until=${UNTIL}`);
  const at = await settle(page, `clock at ${UNTIL} s`, timeout, (st) => st.clock === String(UNTIL));
  if (at.playing !== 'false') throw new Failure(`after the fast-forward Play shows aria-pressed=${at.playing}, not false`);
  const numeric = Object.values(at.metrics).filter((v) => v !== '' && Number.isFinite(Number(v)));
  if (numeric.length < 3) throw new Failure(`only ${numeric.length} metric cards with a number: ${JSON.stringify(at.metrics)}`);
  record.at = at.metrics;
  if (expected) compareMetrics(`at ${UNTIL} s`, at.metrics, expected.at);
  checkErrors(page, at);

  // Step: the clock moves by one step, to the same time and numbers as in Chromium.
  let before = at;
  if (at.hasStep) {
    await page.click('[data-testid="step"]');
    before = await settle(page, 'one step', timeout, (st) => Number(st.clock) > UNTIL);
    record.step = { clock: before.clock, metrics: before.metrics };
    if (expected) {
      if (before.clock !== expected.step?.clock) throw new Failure(`after Step the clock shows ${before.clock} (Chromium: ${expected.step?.clock})`);
      compareMetrics('after Step', before.metrics, expected.step.metrics);
    }
  }

  // The lab's own button, if it has one in PRESS.
  const press = PRESS[slug];
  if (press) {
    await page.click(`[data-testid="${press.testid}"]`);
    const after = await settle(page, `${press.testid} to apply`, timeout, (st) => press.ok(before, st));
    record.press = after.metrics;
    if (expected) compareMetrics(`after ${press.testid}`, after.metrics, expected.press);
    before = after;
  }

  // Play, then Pause: the clock moves on, then stops.
  await page.click('[data-testid="play"]');
  await waitFor(page, 'Play to run the clock', timeout,
    (st) => st.playing === 'true' && Number(st.clock) > Number(before.clock));
  await page.click('[data-testid="play"]');
  const paused = await settle(page, 'Pause to stop the clock', timeout, (st) => st.playing === 'false');
  if (!(Number(paused.clock) > Number(before.clock))) throw new Failure(`the clock did not move while playing (${before.clock} -> ${paused.clock})`);
  checkErrors(page, paused);

  // Rewind (a time-driven lab): the timeline back to UNTIL shows the numbers shown there before
  // (Step, the press and Play all came later), which were Chromium's; then forward to where Play
  // stopped, replaying the press at its time: the numbers shown there.
  if (paused.hasTimeline) {
    const seek = (t) => page.script(`const el = document.querySelector('[data-testid="timeline"]');
      el.value = '${t}';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));`);
    await seek(UNTIL);
    const back = await settle(page, `the timeline back to ${UNTIL} s`, timeout, (st) => st.clock === String(UNTIL));
    compareMetrics(`rewound to ${UNTIL} s`, back.metrics, at.metrics);
    await seek(paused.clock);
    const again = await settle(page, `the timeline forward to ${paused.clock} s`, timeout, (st) => st.clock === paused.clock);
    compareMetrics(`replayed to ${paused.clock} s`, again.metrics, paused.metrics);
    checkErrors(page, again);
  }
}

// --- The run. ---
const OPEN = { chromium: openChromium, firefox: openFirefox, webkit: openWebKit };

async function runBrowser(name, expected) {
  const results = [];
  const recorded = {};
  const log = (line) => console.log(`[${name}] ${line}`);
  let page;
  const t0 = Date.now();
  try {
    page = await OPEN[name]();
  } catch (err) {
    log(`FAIL could not start: ${err.message}`);
    return { results: [{ browser: name, page: '(start)', ok: false, why: err.message }], recorded };
  }
  log(`started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const pages = [['home', (p) => checkHome(p, TIMEOUT[name])],
    ...ready.map(({ slug }) => [slug, (p) => {
      recorded[slug] = {};
      return checkLab(p, slug, TIMEOUT[name], expected?.[slug], recorded[slug]);
    }])];
  for (const [label, check] of pages) {
    const start = Date.now();
    try {
      await check(page);
      log(`ok   ${label} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
      results.push({ browser: name, page: label, ok: true });
    } catch (err) {
      const why = err instanceof Failure ? err.message : `${err.name}: ${err.message}`;
      log(`FAIL ${label}: ${why}`);
      results.push({ browser: name, page: label, ok: false, why });
    }
  }
  await page.close().catch(() => {});
  return { results, recorded };
}

if (!existsSync(join(ROOT, dist, 'index.html'))) { console.error(`no ${dist}/index.html: build first`); process.exit(1); }
const server = spawn(process.execPath, [join(ROOT, 'e2e/serve.mjs'), dist, String(port)], {
  cwd: ROOT, env: { ...process.env, E2E_INJECT: join(ROOT, 'e2e-cross/catch-errors.js') }, stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  server.stdout.once('data', resolve);
  server.once('exit', (code) => reject(new Error(`the test server exited (${code})`)));
});

const all = [];
try {
  const chrome = await runBrowser('chromium', null);
  all.push(...chrome.results);
  const out = join(ROOT, 'target/cross-browser');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'chromium.json'), JSON.stringify(chrome.recorded, null, 2));
  const others = browsers.filter((b) => b !== 'chromium');
  if (others.length && chrome.results.some((r) => !r.ok)) {
    console.log('Chromium failed: its values cannot serve as the expected ones; Firefox and WebKit not run.');
    for (const b of others) all.push({ browser: b, page: '(all)', ok: false, why: 'not run: Chromium failed' });
  } else {
    // The two run side by side (each mostly waits on its own browser process).
    for (const r of await Promise.all(others.map((b) => runBrowser(b, chrome.recorded)))) all.push(...r.results);
  }
} finally {
  server.kill();
}

const failed = all.filter((r) => !r.ok);
if (failed.length) {
  console.log('\nFailed:');
  for (const r of failed) console.log(`  ${r.browser} ${r.page}: ${r.why}`);
}
console.log(`\ncross-browser: ${all.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
