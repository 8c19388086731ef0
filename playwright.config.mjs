// End-to-end tests in Debian's headless Chromium (no browser download), against the release
// build in dist/ served with a deep-link fallback by e2e/serve.mjs.
import { defineConfig } from '@playwright/test';

// E2E_DIST / E2E_PORT let two builds be tested side by side (defaults: dist/ on 4173).
// E2E_UPDATE_PORT: where e2e/offline.spec.mjs serves a copy of the build and then its "new deploy"
// (default E2E_PORT + 1).
// E2E_BASE: the sub-path a build was made for (`trunk build --public-url /scalelab/`); with it set,
// only e2e/subpath.spec.mjs runs (scripts/test.sh runs it on a second build), without it every
// other spec.
const dist = process.env.E2E_DIST ?? 'dist';
const port = Number(process.env.E2E_PORT ?? 4173);
const base = process.env.E2E_BASE ?? '/';
const subpath = base !== '/';

export default defineConfig({
  testDir: 'e2e',
  ...(subpath ? { testMatch: 'subpath.spec.mjs' } : { testIgnore: 'subpath.spec.mjs' }),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}${base}`,
    // The release build registers a service worker; every spec runs with it, as a visitor would
    // (each test's context is fresh, so none inherits another's caches). e2e/offline.spec.mjs tests it.
    serviceWorkers: 'allow',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 900 } } },
  ],
  webServer: {
    command: `node e2e/serve.mjs ${dist} ${port} ${base}`,
    url: `http://127.0.0.1:${port}${base}`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
