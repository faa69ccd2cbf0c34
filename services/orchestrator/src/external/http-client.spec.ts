import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpCallError, HttpClient } from "./http-client.js";
import { SsrfGuard } from "./ssrf-guard.js";

describe("HttpClient", () => {
  const server = createServer((req, res) => {
    res.writeHead(req.url === "/fail" ? 503 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify({ path: req.url, key: req.headers["idempotency-key"] ?? null }));
  });
  let base = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses loopback unless allow-listed, before any byte is sent", async () => {
    const error = await new HttpClient(new SsrfGuard([]))
      .call({ method: "GET", url: `${base}/x`, headers: {}, timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpCallError);
    expect(error).toMatchObject({ code: "SSRF_REFUSED", retryable: false });
  });

  it("refuses a private address given as a literal IP", async () => {
    const error = await new HttpClient(new SsrfGuard([]))
      .call({ method: "GET", url: "http://10.0.0.1/meta", headers: {}, timeoutMs: 500 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SSRF_REFUSED" });
  });

  it("calls an allow-listed host, parses JSON, and classifies 5xx as retryable", async () => {
    const client = new HttpClient(new SsrfGuard(["127.0.0.1"]));
    const ok = await client.call({
      method: "GET",
      url: `${base}/ok`,
      headers: { "idempotency-key": "k1" },
      timeoutMs: 1000,
    });
    expect(ok).toEqual({ status: 200, body: { path: "/ok", key: "k1" } });
    const error = await client
      .call({ method: "GET", url: `${base}/fail`, headers: {}, timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "HTTP_STATUS", status: 503, retryable: true });
  });
});
