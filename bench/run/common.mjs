// Shared by the benchmark runners: a local static server and Debian's headless Chromium.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { chromium } from '@playwright/test';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Chromium's flags: the end-to-end tests' set, plus precise memory numbers. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-precise-memory-info'];

/** Serves `dir` on 127.0.0.1:`port` with e2e/serve.mjs (deep links fall back to index.html). */
export async function serve(dir, port) {
  const child = spawn(process.execPath, [join(ROOT, 'e2e', 'serve.mjs'), dir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} (port ${port} busy?)`)));
    child.stdout.once('data', resolve);
  });
  child.removeAllListeners('exit');
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** Launches headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Percentile `p` (0..1) of numbers, nearest rank; null for none. */
export function percentile(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
