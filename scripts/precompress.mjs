// Writes a precompressed copy of every text and wasm file of a build (and of the labs' packs,
// `pack_*.bin`) next to it: `x.wasm.gz`
// (gzip -9) and `x.wasm.br` (brotli 11), so a static host (and e2e/serve.mjs) can send them with
// `Content-Encoding` instead of compressing on every request.
// Usage: node scripts/precompress.mjs [dir] (default dist/). scripts/build-wasm.mjs runs it at the
// end of every release build (skipped for debug builds, where it would only slow a rebuild).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const compressible = new Set(['.wasm', '.bin', '.js', '.css', '.html', '.svg', '.json', '.webmanifest']);

/** Writes `.gz` and `.br` copies of every compressible file under `dir` (sub-folders too). */
export function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) precompress(file);
    else if (compressible.has(extname(name))) compress(file);
  }
}

function compress(file) {
  const body = readFileSync(file);
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  }));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  precompress(process.argv[2] ?? 'dist');
}
