// Stands in for node's `crypto` in the browser bundle of npm `hashring`, which only calls
// `crypto.createHash('md5').update(key).digest()` and reads the 16 digest bytes by index.
// The md5 is npm `js-md5` (pure JavaScript).
import md5 from 'js-md5';

export function createHash(algorithm) {
  if (algorithm !== 'md5') throw new Error(`crypto-shim: only md5, not ${algorithm}`);
  let input = '';
  return {
    update(data) { input += data; return this; },
    digest() { return md5.array(input); },
  };
}

export default { createHash };
