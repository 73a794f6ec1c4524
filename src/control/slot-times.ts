import type { AppContext } from '../context.js';
import { type AccountSlots, nextSlots, type UpcomingSlot } from '../schedule/scheduler.js';
import { SlotQueue } from '../schedule/slot-queue.js';

/**
 * Which upcoming slot each waiting post of a slots-mode account will take: the oldest post the first slot that is
 * neither in quiet hours nor closer than the minimum gap to the post before it.
 */
export function projectSlots(
  slots: AccountSlots,
  waiting: number,
  lastPostAt: number | null,
): Array<UpcomingSlot | undefined> {
  const out: Array<UpcomingSlot | undefined> = [];
  let last = lastPostAt;
  const gap = slots.minGapMinutes * 60_000;
  for (const slot of slots.slots) {
    if (out.length >= waiting) break;
    const t = Date.parse(slot.at);
    if (slot.quiet) continue;
    if (last !== null && t - last < gap && t !== last) continue;
    out.push(slot);
    last = t;
  }
  while (out.length < waiting) out.push(undefined);
  return out;
}

/**
 * For each slots-mode account, the times its waiting posts (oldest first, `counts` of them) will go out: the
 * slot each takes, or undefined beyond the slots listed.
 */
export async function slotTimes(
  ctx: AppContext,
  counts: Map<string, number>,
): Promise<Map<string, Array<UpcomingSlot | undefined>>> {
  const out = new Map<string, Array<UpcomingSlot | undefined>>();
  if (counts.size === 0) return out;
  const all = await nextSlots(ctx, Math.max(...counts.values()) + 10);
  const queue = new SlotQueue(ctx.redis, ctx.settings.prefix);
  for (const [account, n] of counts) {
    const slots = all.find((a) => a.account === account);
    out.set(account, slots ? projectSlots(slots, n, await queue.lastPostAt(account)) : []);
  }
  return out;
}
