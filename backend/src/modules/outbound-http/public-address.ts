import ipaddr from 'ipaddr.js';

/**
 * Whether an IP address belongs to the public internet. Everything else is refused:
 * loopback, private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, where cloud
 * metadata lives; fe80::/10), CGNAT (100.64/10), multicast, unspecified, broadcast, reserved
 * and documentation ranges, unique-local IPv6 (fc00::/7), and IPv6 forms that carry an IPv4
 * address (IPv4-mapped ::ffff:0:0/96 is judged as the IPv4 it carries; NAT64, 6to4 and
 * Teredo are refused, as they can reach IPv4 addresses the checks would not see).
 *
 * ipaddr.js names every special-purpose range; anything but `unicast` is refused, so a range
 * it learns to name later is refused too.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() turns an IPv4-mapped IPv6 address into the IPv4 address it stands for.
  return ipaddr.process(address).range() === 'unicast';
}
