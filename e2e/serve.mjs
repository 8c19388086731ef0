// A tiny static file server for the end-to-end tests: serves dist/ on 127.0.0.1 and answers
// unknown paths with index.html, as the hosts ScaleLab targets do for deep links. A file's
// precompressed copy (`.br`, else `.gz`, written by scripts/precompress.mjs) is sent with
// `Content-Encoding` when the browser accepts it, as a static host would.
// With E2E_INJECT=<file.js> set, the file is put in a <script> at the top of every index.html sent
// (e2e-cross/ uses it to catch errors in browsers whose driver reports none).
// Usage: node e2e/serve.mjs [dir] [port] [base]   (base: the --public-url the build used, default /)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const dir = process.argv[2] ?? 'dist';
const port = Number(process.argv[3] ?? 4173);
const base = process.argv[4] ?? '/';
const inject = process.env.E2E_INJECT ? `<script>${await readFile(process.env.E2E_INJECT, 'utf8')}</script>` : null;
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

createServer(async (req, res) => {
  let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (!path.startsWith(base)) { res.writeHead(404).end('outside base'); return; }
  path = '/' + path.slice(base.length);
  let file = normalize(join(dir, path));
  if (!file.startsWith(normalize(dir))) { res.writeHead(403).end(); return; }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
  } catch { file = join(dir, 'index.html'); }
  const headers = { 'content-type': types[extname(file)] ?? 'application/octet-stream', vary: 'accept-encoding' };
  if (inject && file.endsWith('index.html')) {
    try {
      const html = await readFile(file, 'utf8');
      res.writeHead(200, headers).end(html.replace(/<head>/i, (head) => head + inject));
    } catch {
      res.writeHead(404).end('not found');
    }
    return;
  }
  const accepts = String(req.headers['accept-encoding'] ?? '');
  for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
    if (!accepts.includes(encoding)) continue;
    try {
      const body = await readFile(file + suffix);
      res.writeHead(200, { ...headers, 'content-encoding': encoding }).end(body);
      return;
    } catch { /* no precompressed copy: try the next, then the file itself */ }
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, headers).end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving ${dir} at http://127.0.0.1:${port}${base}`));
