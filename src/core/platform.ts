/**
 * A platform's name as it appears in the configuration, queue names and commands ("twitter", "facebook", …).
 * The names are those of the platform registry (src/platforms/registry.ts: names and labels; `isPlatform()` checks
 * a string against them): the core only carries the type, nothing in it names a platform.
 */
export type { PlatformName } from '../platforms/registry.js';
