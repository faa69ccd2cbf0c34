import { BlockList, isIP } from "node:net";

/**
 * Refuses HTTP targets on private, loopback, link-local, unspecified, multicast or reserved addresses
 * unless the host name or an allow-listed IP / CIDR covers them. Applied to the address the connection
 * actually uses (see http-client.ts), so DNS rebinding cannot slip past it.
 */
export class SsrfGuard {
  private readonly blocked = new BlockList();
  private readonly allowedNets = new BlockList();
  private readonly allowedHosts = new Set<string>();

  constructor(allowlist: readonly string[]) {
    for (const [net, prefix] of [
      ["0.0.0.0", 8],
      ["10.0.0.0", 8],
      ["100.64.0.0", 10],
      ["127.0.0.0", 8],
      ["169.254.0.0", 16],
      ["172.16.0.0", 12],
      ["192.0.0.0", 24],
      ["192.168.0.0", 16],
      ["198.18.0.0", 15],
      ["224.0.0.0", 4],
      ["240.0.0.0", 4],
    ] as const) {
      this.blocked.addSubnet(net, prefix, "ipv4");
    }
    for (const [net, prefix] of [
      ["::", 128],
      ["::1", 128],
      ["fc00::", 7],
      ["fe80::", 10],
      ["ff00::", 8],
    ] as const) {
      this.blocked.addSubnet(net, prefix, "ipv6");
    }
    for (const entry of allowlist) {
      const [address, prefix] = entry.split("/");
      const family = address ? isIP(address) : 0;
      if (family === 0) {
        this.allowedHosts.add(entry.toLowerCase());
        continue;
      }
      const type = family === 4 ? "ipv4" : "ipv6";
      if (prefix === undefined) this.allowedNets.addAddress(address as string, type);
      else this.allowedNets.addSubnet(address as string, Number(prefix), type);
    }
  }

  /** A reason to refuse connecting to `address` for `host`, or undefined when it is allowed. */
  refusal(host: string, given: string): string | undefined {
    if (this.allowedHosts.has(host.toLowerCase())) return undefined;
    // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(given);
    const address = mapped ? (mapped[1] as string) : given;
    const family = isIP(address);
    if (family === 0) return `'${address}' is not an IP address`;
    const type = family === 4 ? "ipv4" : "ipv6";
    if (this.allowedNets.check(address, type)) return undefined;
    if (this.blocked.check(address, type)) {
      return `${host} resolves to ${address}, a private, loopback or link-local address (allow it in ORCHESTRATOR_HTTP_ALLOWLIST)`;
    }
    return undefined;
  }
}
