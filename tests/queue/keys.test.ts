import { describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/queue/keys.js';

/**
 * The key names are a storage contract: a renamed key orphans what running installations wrote under the old
 * name (ledger entries, seen articles, leases), so each name is pinned here.
 */
describe('Redis keys', () => {
  const k = redisKeys('crier');

  it('names every key under the prefix, as earlier versions wrote them', () => {
    expect(k.ledger('a0123456789abcdef', 'twitter', 'x-main')).toBe(
      'crier:ledger:a0123456789abcdef:twitter:x-main',
    );
    expect(k.ledgerIndex).toBe('crier:ledger-index');
    expect(k.article('a1')).toBe('crier:article:a1');
    expect(k.articleAlias('ff')).toBe('crier:article-alias:ff');
    expect(k.sourceItems('wire')).toBe('crier:source-items:wire');
    expect(k.account('x-main')).toBe('crier:account:x-main');
    expect(k.budget('x-main')).toBe('crier:budget:x-main');
    expect(k.platformTokens('twitter', 'x-main')).toBe('crier:twitter:tokens:x-main');
    expect(k.held).toBe('crier:held');
    expect(k.slots('x-main')).toBe('crier:slots:x-main');
    expect(k.slotItems('x-main')).toBe('crier:slots:x-main:items');
    expect(k.slotLastPost('x-main')).toBe('crier:slots:x-main:last-post');
    expect(k.slotAccounts).toBe('crier:slots-accounts');
    expect(k.scheduleSlot('post-x', '2026-03-29T02:30')).toBe('crier:schedule:slot:post-x:2026-03-29T02:30');
    expect(k.scheduler('host-1')).toBe('crier:scheduler:host-1');
    expect(k.schedulerPattern).toBe('crier:scheduler:*');
    expect(k.schedulers).toBe('crier:schedulers');
    expect(k.awaitingApproval).toBe('crier:awaiting-approval');
    expect(k.consoleSecret).toBe('crier:console:secret');
    expect(k.consoleSession('s1')).toBe('crier:console:session:s1');
    expect(k.consoleLoginFailures('ip', '127.0.0.1')).toBe('crier:console:login-failures:ip:127.0.0.1');
    expect(k.hookSeen('ab12')).toBe('crier:hooks:seen:ab12');
  });

  it("names BullMQ's keys of a queue the way BullMQ does, and one pattern covers the whole prefix", () => {
    expect(k.queue('publish-twitter', 'delayed')).toBe('crier:publish-twitter:delayed');
    expect(k.all).toBe('crier:*');
    expect(redisKeys('{site}').ledgerIndex).toBe('{site}:ledger-index');
  });
});
