import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets a worker's heap grow past what survived its last full collection, in percent. By default
 * V8 grows it by up to 4x on a busy process: a worker's live data stays near 30 MB while its heap (and RSS)
 * climbed to 150 MB and more over a long drain. At 20 % the heap follows the live data (RSS flat after
 * warm-up, docs/performance.md) for about the same CPU.
 */
export const HEAP_GROWING_PERCENT = 20;

/** Bounds the heap growth of this process (a long-running worker); one V8 flag, settable while running. */
export function boundHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
