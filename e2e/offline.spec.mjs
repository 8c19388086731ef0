// Offline and installable (web/offline/, scripts/build-wasm.mjs step 7): after one visit the app
// works with the network off; a lab never opened says it needs the network once; the background
// fetch makes every lab work offline; a new deploy shows the update notice and, after Reload, runs
// only the new version's files; Chromium finds the manifest valid and the app installable.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, test, expect } from '@playwright/test';
import { registryLabs, waitForApp, watchErrors } from './helpers.mjs';

test.use({ serviceWorkers: 'allow' });

const dist = process.env.E2E_DIST ?? 'dist';
const port = Number(process.env.E2E_PORT ?? 4173);
// The update test serves a copy of the build, then a "new deploy" of it, on a port of its own.
const updatePort = Number(process.env.E2E_UPDATE_PORT ?? port + 1);

/** The build's file list for its service worker (`const BUILD = {...}` in sw.js), with each lab's
 * pieces as paths. */
function swBuild(dir) {
  const line = readFileSync(join(dir, 'sw.js'), 'utf8').split('\n').find((l) => l.startsWith('const BUILD = '));
  const build = JSON.parse(line.slice('const BUILD = '.length, -1));
  build.labs = Object.fromEntries(Object.entries(build.labs).map(([slug, pieces]) => [slug, pieces.map((i) => build.pieces[i])]));
  return build;
}
const build = swBuild(dist);
const labFiles = (slug) => build.labs[slug].map((f) => `/${f}`);
const allLabFiles = Object.keys(build.labs).flatMap(labFiles);

// Offline, a failed fetch is reported on the console as an error (and the lab's loader logs its
// "Failed to fetch", as in shell.spec.mjs's failed load): expected there, nowhere else.
const OFFLINE = [/ERR_INTERNET_DISCONNECTED/, /net::ERR_FAILED/, /Failed to load resource/, /FetchEvent/, /Failed to fetch/];

/** Waits until a service worker controls the page. */
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
}

/** The paths (from the scope) of every file in ScaleLab's caches. */
async function cached(page) {
  return page.evaluate(async () => {
    const paths = [];
    for (const name of await caches.keys()) {
      if (!name.startsWith('scalelab ')) continue;
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

async function expectCached(page, files, timeout = 20_000) {
  await expect.poll(async () => {
    const have = new Set(await cached(page));
    return files.filter((f) => !have.has(f));
  }, { timeout, message: 'files not yet in the cache' }).toEqual([]);
}

/** The simulated clock, in seconds. */
const clock = async (page) => Number(await page.getByTestId('sim-time').getAttribute('data-value'));

test('after one visit a visited lab works offline; one never opened says it needs the network once, and loads once back online', async ({ page, context }) => {
  // As for a learner whose browser saves data: no background fetch of the other labs.
  await page.addInitScript(() => {
    if (navigator.connection) Object.defineProperty(navigator.connection, 'saveData', { get: () => true });
  });
  const errors = watchErrors(page, OFFLINE);
  const pending = new Set();
  page.on('request', (r) => pending.add(r));
  page.on('requestfinished', (r) => pending.delete(r));
  page.on('requestfailed', (r) => pending.delete(r));
  await page.goto('./');
  await waitForApp(page);
  await controlled(page);
  await page.locator('.nav-links a[href$="/labs/replication"]').click();
  await waitForApp(page);
  await expectCached(page, labFiles('replication'));

  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/replication/i);
  const before = await clock(page);
  await page.getByTestId('step').click();
  await expect.poll(() => clock(page)).toBeGreaterThan(before);
  await page.getByTestId('play').click();
  const stepped = await clock(page);
  await expect.poll(() => clock(page)).toBeGreaterThan(stepped);
  await page.getByTestId('play').click();

  // The cache lab was never opened, and the background fetch never ran.
  expect(await cached(page)).not.toContain(labFiles('cache')[0]);
  await page.locator('.nav-links a[href$="/labs/cache"]').click();
  const failed = page.getByTestId('lab-load-error');
  await expect(failed).toHaveAttribute('data-offline', 'true');
  await expect(failed).toContainText('needs the network once');

  // Back online (once the failed attempt's last fetches have failed too: a retry while they are
  // still pending would share them), Try again loads the lab.
  await expect.poll(() => pending.size).toBe(0);
  await context.setOffline(false);
  await page.getByTestId('lab-retry').click();
  await waitForApp(page);
  await expect(page.getByTestId('lab-load-error')).toHaveCount(0);
  await expect(page.getByTestId('play')).toBeVisible();
  await expectCached(page, labFiles('cache'));
  errors.check();
});

test('once the background fetch is done, every lab opens offline', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForApp(page);
  await controlled(page);
  // The worker waits until no page has fetched anything for 10 s, then fetches lab by lab.
  await expectCached(page, allLabFiles, 60_000);

  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  for (const { slug } of registryLabs().filter((l) => l.ready)) {
    await page.locator(`.nav-links a[href$="/labs/${slug}"]`).click();
    await expect(page).toHaveURL(new RegExp(`/labs/${slug}`));
    await waitForApp(page);
    await expect(page.getByTestId('lab-load-error')).toHaveCount(0);
    await expect(page.locator('h1')).toBeVisible();
  }
  // A deep link offline: its pack is made from the cached pieces.
  await page.goto('labs/sharding');
  await waitForApp(page);
  await expect(page.getByTestId('lab-load-error')).toHaveCount(0);
  errors.check();
});

test('a new deploy shows the update notice; Reload runs the new version, with none of the old files', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const dir = mkdtempSync(join(tmpdir(), 'scalelab-update-'));
  const site = join(dir, 'site');
  cpSync(dist, site, { recursive: true });
  const server = spawn(process.execPath, ['e2e/serve.mjs', site, String(updatePort)], { stdio: 'ignore' });
  try {
    const origin = `http://127.0.0.1:${updatePort}/`;
    await expect.poll(() => fetch(origin).then((r) => r.status, () => 0)).toBe(200);
    await page.goto(origin);
    await waitForApp(page);
    await controlled(page);
    const old = { version: build.version, css: readdirSync(site).find((f) => /^main-.*\.css$/.test(f)) };
    await expect(page.locator('meta[name="scalelab-version"]')).toHaveAttribute('content', old.version);

    // The next deploy: a changed stylesheet (a new hashed name, the old one gone from the host, as
    // a deploy that replaces the folder does) and so a new version.
    const next = { version: `${old.version.slice(0, -4)}beef`, css: old.css.replace(/-[0-9a-f]+\.css$/, '-00000000deadbeef.css') };
    const css = `${readFileSync(join(site, old.css), 'utf8')}\n.update-test-marker { color: red; }\n`;
    for (const f of [old.css, `${old.css}.br`, `${old.css}.gz`]) rmSync(join(site, f));
    writeFileSync(join(site, next.css), css);
    const integrity = (text) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
    const oldIntegrity = integrity(readFileSync(join(dist, old.css), 'utf8'));
    for (const f of ['index.html', 'sw.js']) {
      const text = readFileSync(join(site, f), 'utf8').replaceAll(old.version, next.version).replaceAll(old.css, next.css)
        .replaceAll(oldIntegrity, integrity(css));
      for (const copy of [`${f}.br`, `${f}.gz`]) rmSync(join(site, copy));
      writeFileSync(join(site, `${f}.tmp`), text);
      renameSync(join(site, `${f}.tmp`), join(site, f));
    }

    // The next visit runs the old version (from its cache) and finds the new one.
    await page.reload();
    await waitForApp(page);
    const notice = page.getByTestId('update-notice');
    await expect(notice).toBeVisible({ timeout: 30_000 });
    await expect(notice).toContainText('ScaleLab was updated');
    await expect(page.locator('meta[name="scalelab-version"]')).toHaveAttribute('content', old.version);
    await expect(page.locator(`link[rel="stylesheet"][href$="${old.css}"]`)).toHaveCount(1);
    // Meanwhile the page keeps working with its own files: a lab opens.
    await page.locator('.nav-links a[href$="/labs/capacity"]').click();
    await waitForApp(page);
    await expect(page.getByTestId('lab-load-error')).toHaveCount(0);

    await notice.getByRole('button', { name: 'Reload' }).click();
    await expect(page.locator('meta[name="scalelab-version"]')).toHaveAttribute('content', next.version, { timeout: 30_000 });
    await waitForApp(page);
    await expect(page.getByTestId('update-notice')).toHaveCount(0);
    await expect(page.getByTestId('play')).toBeVisible();
    // Every file this page loaded is the new version's; the old version's cache is gone.
    const newBuild = swBuild(site);
    const files = new Set(['', ...newBuild.shell, ...Object.values(newBuild.labs).flat(), ...Object.values(newBuild.packs)]
      .map((f) => new URL(f, origin).pathname));
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    const foreign = loaded.map((u) => new URL(u)).filter((u) => u.origin === new URL(origin).origin && !files.has(u.pathname));
    expect(foreign.map((u) => u.pathname)).toEqual([]);
    expect(loaded.some((u) => u.endsWith(next.css))).toBe(true);
    const names = await page.evaluate(() => caches.keys());
    expect(names.filter((n) => n.startsWith(`scalelab ${origin} `))).toEqual([`scalelab ${origin} ${next.version}`]);
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  errors.check();
});

test('Chromium reads the manifest without errors and finds the app installable', async ({ baseURL }) => {
  // Installability is never granted in an incognito context (Playwright's default): a profile.
  const profile = mkdtempSync(join(tmpdir(), 'scalelab-install-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(baseURL);
    await waitForApp(page);
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    const base = new URL(baseURL);
    expect(manifest.manifest.startUrl).toBe(base.href);
    expect(manifest.manifest.scope).toBe(base.href);
    expect(manifest.manifest.display).toBe('kStandalone');
    expect(manifest.manifest.icons.map((i) => i.sizes)).toEqual(['192x192', '512x512', '512x512']);
    await expect.poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    // The icons the manifest names are served.
    for (const icon of manifest.manifest.icons) expect((await page.request.get(icon.url)).status()).toBe(200);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
