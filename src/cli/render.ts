import type { Post } from '../core/post.js';

const RESERVED = /\\([|{}@[\]()<>#\\*_~])/g;

/** The post as a follower sees it (LinkedIn little-text escapes removed; Facebook link card under the message). */
export function formatPostForReader(
  p: Pick<Post, 'platform' | 'account' | 'text' | 'link' | 'thread'>,
): string {
  const body = p.platform === 'linkedin' ? p.text.replace(RESERVED, '$1') : p.text;
  const lines = [`--- ${p.platform} (${p.account})`, body];
  if (p.platform === 'facebook' && !p.text.includes(p.link)) lines.push(`[link card] ${p.link}`);
  for (const [i, t] of (p.thread ?? []).entries()) lines.push(`  ↳ reply ${i + 1}: ${t}`);
  return lines.join('\n');
}
