import { describe, expect, it } from 'vitest';
import { localUrl, parseListenAddress } from '../../src/http/address.js';
import { adminCredentials, parseBasicAuth, safeEqual } from '../../src/http/basic-auth.js';

describe('parseListenAddress', () => {
  it('reads ":port" as every interface and "host:port" as that host', () => {
    expect(parseListenAddress(':8080')).toEqual({ host: undefined, port: 8080 });
    expect(parseListenAddress('8080')).toEqual({ host: undefined, port: 8080 });
    expect(parseListenAddress('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListenAddress('0.0.0.0:9')).toEqual({ host: '0.0.0.0', port: 9 });
    expect(parseListenAddress('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseListenAddress('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
  });

  it('rejects what is not an address, naming the expected form', () => {
    for (const bad of ['', ':', 'localhost', ':99999', '::1:8080', '[nope]:80', 'http://x:80', ':80a']) {
      expect(() => parseListenAddress(bad), bad).toThrow(/HTTP address/);
    }
  });

  it('gives a loopback URL for wildcard binds', () => {
    expect(localUrl(undefined, 80)).toBe('http://127.0.0.1:80');
    expect(localUrl('0.0.0.0', 80)).toBe('http://127.0.0.1:80');
    expect(localUrl('::', 80)).toBe('http://[::1]:80');
    expect(localUrl('::1', 80)).toBe('http://[::1]:80');
    expect(localUrl('10.0.0.2', 80)).toBe('http://10.0.0.2:80');
  });
});

describe('basic auth helpers', () => {
  it('needs both variables, non-empty', () => {
    expect(adminCredentials({})).toBeUndefined();
    expect(adminCredentials({ CRIER_ADMIN_USER: 'a' })).toBeUndefined();
    expect(adminCredentials({ CRIER_ADMIN_USER: 'a', CRIER_ADMIN_PASSWORD: '' })).toBeUndefined();
    expect(adminCredentials({ CRIER_ADMIN_USER: 'a', CRIER_ADMIN_PASSWORD: 'b' })).toEqual({
      user: 'a',
      password: 'b',
    });
  });

  it('parses the header, splitting at the first colon (passwords may contain colons and UTF-8)', () => {
    const header = `Basic ${Buffer.from('ops:pa:ss wörd').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ user: 'ops', password: 'pa:ss wörd' });
    expect(parseBasicAuth(`basic ${Buffer.from('u:').toString('base64')}`)).toEqual({
      user: 'u',
      password: '',
    });
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(parseBasicAuth('Bearer abc')).toBeUndefined();
    expect(parseBasicAuth('Basic not*base64')).toBeUndefined();
  });

  it('compares strings of any lengths', () => {
    expect(safeEqual('secret', 'secret')).toBe(true);
    expect(safeEqual('secret', 'secret2')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });
});
