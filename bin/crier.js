#!/usr/bin/env node
// Runs the compiled CLI: dist/cli (tsc output bundled per command by esbuild), else the plain tsc output
// dist/src (a build without esbuild). `npm run build` makes both; `npm ci` runs it through "prepare".
// A .env file in the working directory fills in variables the environment does not set (Node's own loader).
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code of the CLI's modules on disk between runs (under os.tmpdir(), or
// NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off): a command after the first one skips compiling
// BullMQ, ioredis, zod and yaml again. Node 20 has no such cache; the call is then skipped.
module.enableCompileCache?.();

if (existsSync('.env')) {
  try {
    process.loadEnvFile('.env');
  } catch (e) {
    console.error(`crier: .env cannot be read: ${e.message}`);
    process.exit(2);
  }
}
const bundled = new URL('../dist/cli/main.js', import.meta.url);
const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
const entry = existsSync(bundled) ? bundled : compiled;
if (!existsSync(entry)) {
  console.error('crier: the compiled CLI is missing: run "npm run build" (npm ci does it through "prepare")');
  process.exit(2);
}
await import(entry.href);
