import { isIPv6 } from 'node:net';

/**
 * The unit that per-address limits count: an IPv4 address, or the /64 network of an IPv6
 * one (a single subscriber usually holds a whole /64, so counting single IPv6 addresses
 * would give an attacker billions of fresh counters). IPv4-mapped IPv6 becomes plain IPv4.
 */
export function rateLimitKeyOf(clientAddress: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(clientAddress);
  if (mapped) return mapped[1]!;
  if (!isIPv6(clientAddress)) return clientAddress;
  return `${expandIPv6(clientAddress).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, `::` filled in (a zone such as `%eth0` dropped). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((group) =>
    (parseInt(group, 16) || 0).toString(16),
  );
}
