import { existsSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * twitter-text, loaded at its first use (`twitterText()`), without one of its polyfills. Importing this module costs
 * nothing: commands that read the platforms' rules without composing (`status`, the operator commands) never load
 * the library and its Babel runtime (hundreds of files).
 *
 * Its Babel build requires core-js 2's `es6.regexp.split`, whose feature test assigns a Symbol.species
 * constructor to a RegExp. That trips V8's RegExp species protector for the whole process: from then on
 * every String#split / #replace with a regular expression takes V8's slow path (measured on Node 20:
 * split 24x, replace 9x slower, composing three posts 2x slower). Node >= 20 has a compliant split, so
 * the polyfill is registered as already loaded before twitter-text is required. Any module that loads
 * twitter-text should go through this one (the first load decides).
 */
const require = createRequire(import.meta.url);
const POLYFILL = 'core-js/modules/es6.regexp.split';

function skipSplitPolyfill(): void {
  let path: string;
  try {
    path = require.resolve(POLYFILL, { paths: [dirname(require.resolve('twitter-text'))] });
  } catch {
    return; // A twitter-text build without core-js: nothing to skip.
  }
  if (require.cache[path]) return;
  const stub = new Module(path);
  stub.loaded = true;
  stub.exports = {};
  require.cache[path] = stub;
}

/**
 * The compiled CLI carries twitter-text bundled into one file beside its chunks, without that polyfill
 * (scripts/build.mjs): one file to read instead of 240. The unbundled build and the tests load the package.
 */
const BUNDLED = fileURLToPath(new URL('./vendor/twitter-text.cjs', import.meta.url));

let loaded: typeof import('twitter-text') | undefined;

export function twitterText(): typeof import('twitter-text') {
  if (!loaded) {
    if (existsSync(BUNDLED)) loaded = require(BUNDLED) as typeof import('twitter-text');
    else {
      skipSplitPolyfill();
      loaded = require('twitter-text') as typeof import('twitter-text');
    }
  }
  return loaded;
}
