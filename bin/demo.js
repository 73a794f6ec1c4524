#!/usr/bin/env node
// npm run demo [-- <path-or-url>]: the whole path on the bundled sample article, against local fake platforms.
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');
await import('../dist/src/cli/demo.js');
