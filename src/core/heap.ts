import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets a worker's heap grow past what survived its last full collection, in percent. By default
 * V8 grows it by up to 4x on a busy process: a worker's live data stays near 30 MB while its heap (and RSS)
 * climbed to 200 MB and more over a long drain, still growing. At 70 % the heap follows the live data (RSS
 * flat after warm-up at about 150 MB over a 10,000-post drain, docs/performance.md); 20 % kept it at 135 MB
 * but collected so often that the worker spent about 12 % more CPU per post.
 */
export const HEAP_GROWING_PERCENT = 70;

/** Bounds the heap growth of this process (a long-running worker); one V8 flag, settable while running. */
export function boundHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
