#!/usr/bin/env node
// npm run demo [-- <path-or-url>]: the whole path on the bundled sample article, against local fake platforms.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/demo.ts');
