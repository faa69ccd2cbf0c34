import { describe, expect, it } from "vitest";
import { SsrfGuard } from "./ssrf-guard.js";

describe("SsrfGuard", () => {
  it("refuses loopback, private, link-local and mapped addresses by default", () => {
    const guard = new SsrfGuard([]);
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
    ]) {
      expect(guard.refusal("example.test", address), address).toMatch(/private, loopback or link-local/);
    }
  });

  it("allows public addresses", () => {
    const guard = new SsrfGuard([]);
    expect(guard.refusal("example.com", "93.184.216.34")).toBeUndefined();
    expect(guard.refusal("example.com", "2606:2800:220:1:248:1893:25c8:1946")).toBeUndefined();
  });

  it("allows what the allow-list names: an address, a CIDR or a host name", () => {
    const guard = new SsrfGuard(["127.0.0.1", "10.0.0.0/8", "crm.internal"]);
    expect(guard.refusal("localhost", "127.0.0.1")).toBeUndefined();
    expect(guard.refusal("x", "127.0.0.2")).toMatch(/loopback/);
    expect(guard.refusal("x", "10.9.9.9")).toBeUndefined();
    expect(guard.refusal("crm.internal", "192.168.0.5")).toBeUndefined();
  });
});
