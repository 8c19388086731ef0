// Writes a precompressed copy of every text and wasm file of a build next to it: `x.wasm.gz`
// (gzip -9) and `x.wasm.br` (brotli 11), so a static host (and e2e/serve.mjs) can send them with
// `Content-Encoding` instead of compressing on every request.
// Usage: node scripts/precompress.mjs [dir]. Run by Trunk after each release build (Trunk.toml
// hook: the staging directory, skipped for debug builds, where it would only slow a rebuild).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
if (!process.argv[2] && process.env.TRUNK_PROFILE && process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const compressible = new Set(['.wasm', '.js', '.css', '.html', '.svg', '.json']);

for (const name of readdirSync(dir)) {
  const file = join(dir, name);
  if (!statSync(file).isFile() || !compressible.has(extname(name))) continue;
  const body = readFileSync(file);
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  }));
}
