// node --import ./tests/helpers/module-trace.mjs …: appends every module URL the process loads (ESM imports
// and CommonJS requires) to the file named by MODULE_TRACE_OUT. Used to prove which commands load what.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.MODULE_TRACE_OUT;
if (out) {
  register('./module-trace-hooks.mjs', { parentURL: import.meta.url, data: { out } });
  const load = Module._load;
  Module._load = function (request, parent, isMain, ...rest) {
    const result = load.call(this, request, parent, isMain, ...rest);
    try {
      appendFileSync(out, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {}
    return result;
  };
}
