/**
 * Items grouped by a key, each group in the order its items were added: what a fake looks up (a duplicate
 * post by author and text, a thread's replies) instead of going through every post it holds.
 */
export class ListIndex<T> {
  private readonly lists = new Map<string, T[]>();

  add(key: string, item: T): void {
    const list = this.lists.get(key);
    if (list) list.push(item);
    else this.lists.set(key, [item]);
  }

  /** Takes `item` (the same object) out of its group. */
  remove(key: string, item: T): void {
    const list = this.lists.get(key);
    const at = list?.indexOf(item) ?? -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (!list!.length) this.lists.delete(key);
  }

  get(key: string): readonly T[] {
    return this.lists.get(key) ?? [];
  }
}
