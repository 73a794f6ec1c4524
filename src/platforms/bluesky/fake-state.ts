import { createHash, createHmac } from 'node:crypto';
import type { PostRecord } from './api.js';
import { tid } from './api.js';

/**
 * Platform state of the Bluesky fake: accounts with app passwords, sessions (access and refresh JWTs on the fake's
 * clock), each repo's records, uploaded blobs and rate-limit counters. Unconfirmed behaviours are in the config.
 */
export interface BlueskyFakeAccount {
  did: string;
  handle: string;
  /** The app password createSession accepts. */
  appPassword: string;
  /** Set when the repo is taken down: reads of it answer RepoTakendown. */
  takendown?: boolean;
}

export interface BlueskyFakeConfig {
  accessLifeMs: number;
  refreshLifeMs: number;
  /** How long a rotated refresh token still works (the reference PDS: up to 2 h). */
  refreshGraceMs: number;
  /** createSession per identifier: 30 per 5 minutes and 300 a day. */
  sessionsPer5Min: number;
  sessionsPerDay: number;
  /** Write points per DID (create 3, update 2, delete 1): 5,000 an hour, 35,000 a day. */
  pointsPerHour: number;
  pointsPerDay: number;
  /** How long the AppView (getAuthorFeed) lags behind the repo; listRecords is always current. */
  appViewLagMs: number;
  /** Path of the PDS the session's DID document names (the entryway is the root): "a second base URL". */
  pdsPath: string;
}

export const DEFAULT_CONFIG: BlueskyFakeConfig = {
  accessLifeMs: 2 * 3_600_000,
  refreshLifeMs: 90 * 86_400_000,
  refreshGraceMs: 2 * 3_600_000,
  sessionsPer5Min: 30,
  sessionsPerDay: 300,
  pointsPerHour: 5000,
  pointsPerDay: 35_000,
  appViewLagMs: 0,
  pdsPath: '/pds',
};

export const BLUESKY_FAKE_ACCOUNT: BlueskyFakeAccount = {
  did: 'did:plc:crierfake0000000000000001',
  handle: 'crier.fake.bsky.social',
  appPassword: 'abcd-efgh-ijkl-mnop',
};
export const BLUESKY_FAKE_OTHER_ACCOUNT: BlueskyFakeAccount = {
  did: 'did:plc:crierfake0000000000000002',
  handle: 'other.fake.bsky.social',
  appPassword: 'qrst-uvwx-yz23-4567',
};

export interface StoredRecord {
  uri: string;
  cid: string;
  did: string;
  collection: string;
  rkey: string;
  /** The record exactly as received. */
  value: PostRecord;
  /** When the PDS stored it (fake clock). */
  indexedAt: number;
}

export interface StoredBlob {
  cid: string;
  did: string;
  mimeType: string;
  size: number;
  bytes: Buffer;
}

export interface FakeSessionToken {
  did: string;
  kind: 'access' | 'refresh';
  exp: number;
  /** Refresh tokens: when it was used to refresh (it works for `refreshGraceMs` more), or revoked. */
  rotatedAt?: number;
  revoked?: boolean;
}

const SECRET = 'bluesky-fake-signing-key';

export class BlueskyFakeState {
  config: BlueskyFakeConfig;
  readonly accounts: BlueskyFakeAccount[] = [
    structuredClone(BLUESKY_FAKE_ACCOUNT),
    structuredClone(BLUESKY_FAKE_OTHER_ACCOUNT),
  ];
  readonly tokens = new Map<string, FakeSessionToken>();
  readonly records: StoredRecord[] = [];
  readonly deleted: (StoredRecord & { deletedAt: number })[] = [];
  readonly blobs = new Map<string, StoredBlob>();
  readonly counters = new Map<string, { start: number; count: number }>();
  /** Head commit of each repo (swapCommit checks against it). */
  readonly heads = new Map<string, string>();
  private seq = 0;
  private lastMicros = 0n;

  constructor(config: Partial<BlueskyFakeConfig> = {}) {
    this.config = { ...DEFAULT_CONFIG, ...config };
  }

  account(idOrHandle: string): BlueskyFakeAccount | undefined {
    return this.accounts.find((a) => a.did === idOrHandle || a.handle === idOrHandle);
  }

  /** A JWT like the PDS's (HS256, at+jwt), remembered so the fake knows its state. */
  issue(did: string, kind: 'access' | 'refresh', now: number): string {
    this.seq += 1;
    const exp = now + (kind === 'access' ? this.config.accessLifeMs : this.config.refreshLifeMs);
    const header = Buffer.from(
      JSON.stringify({ typ: kind === 'access' ? 'at+jwt' : 'refresh+jwt', alg: 'HS256' }),
    );
    const payload = Buffer.from(
      JSON.stringify({
        scope: kind === 'access' ? 'com.atproto.access' : 'com.atproto.refresh',
        sub: did,
        aud: 'did:web:fake.bsky.social',
        iat: Math.floor(now / 1000),
        exp: Math.floor(exp / 1000),
        jti: `fake-${this.seq}`,
      }),
    );
    const unsigned = `${header.toString('base64url')}.${payload.toString('base64url')}`;
    const sig = createHmac('sha256', SECRET).update(unsigned).digest('base64url');
    const jwt = `${unsigned}.${sig}`;
    this.tokens.set(jwt, { did, kind, exp: Math.floor(exp / 1000) * 1000 });
    return jwt;
  }

  /** A new TID: microseconds of the fake clock, strictly increasing. */
  nextTid(now: number): string {
    let micros = BigInt(now) * 1000n;
    if (micros <= this.lastMicros) micros = this.lastMicros + 1n;
    this.lastMicros = micros;
    return tid(micros, 7);
  }

  /** A content id (CIDv1, dag-cbor, sha-256) of some bytes, in its base32 text form. */
  cid(data: string | Buffer): string {
    const hash = createHash('sha256').update(data).digest();
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), hash])) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        out += alphabet[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
    return `b${out}`;
  }

  counter(key: string, windowMs: number, now: number): { start: number; count: number } {
    let c = this.counters.get(key);
    if (!c || now >= c.start + windowMs) {
      c = { start: now, count: 0 };
      this.counters.set(key, c);
    }
    return c;
  }
}
