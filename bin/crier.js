#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`).
// A .env file in the working directory fills in variables the environment does not set (Node's own loader).
import { existsSync } from 'node:fs';

if (existsSync('.env')) {
  try {
    process.loadEnvFile('.env');
  } catch (e) {
    console.error(`crier: .env cannot be read: ${e.message}`);
    process.exit(2);
  }
}
try {
  await import('../dist/src/cli/main.js');
} catch (e) {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/src/cli/main.js')) {
    console.error(
      'crier: the compiled CLI is missing: run "npm run build" (npm ci does it through "prepare")',
    );
    process.exit(2);
  }
  throw e;
}
