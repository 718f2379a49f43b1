import { describe, expect, it } from 'vitest';
import { rateLimitKeyOf } from './client-address.js';

describe('rateLimitKeyOf', () => {
  it('counts an IPv4 address as itself, also when IPv4-mapped', () => {
    expect(rateLimitKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts every address of an IPv6 /64 as one subscriber', () => {
    const key = rateLimitKeyOf('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    expect(rateLimitKeyOf('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(key);
    expect(rateLimitKeyOf('2001:db8:1:3::1')).not.toBe(key);
    expect(rateLimitKeyOf('::1')).toBe('0:0:0:0::/64');
  });
});
