// The JavaScript peers, bundled for the browser by esbuild (scripts/bench.sh):
// npm lru-cache (ESM) and npm hashring (CommonJS; node's crypto md5 replaced by crypto-shim.js).
export { LRUCache } from 'lru-cache';
import HashRing from 'hashring';
export { HashRing };
