import type { Post } from '../core/post.js';
import { platformOf } from '../platforms/descriptors.js';

/**
 * The post as a follower sees it: the text as the platform shows it (LinkedIn little-text escapes removed), the
 * link card under a text that does not carry the link (Facebook, LinkedIn), then thread replies.
 */
export function formatPostForReader(
  p: Pick<Post, 'platform' | 'account' | 'text' | 'link' | 'thread'>,
): string {
  const rules = platformOf(p.platform).rules;
  const body = rules.display ? rules.display(p.text) : p.text;
  const lines = [`--- ${p.platform} (${p.account})`, body];
  if (!rules.linkInText && p.link && !p.text.includes(p.link)) lines.push(`[link card] ${p.link}`);
  for (const [i, t] of (p.thread ?? []).entries()) lines.push(`  ↳ reply ${i + 1}: ${t}`);
  return lines.join('\n');
}
