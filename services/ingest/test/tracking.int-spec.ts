import { gzipSync } from "node:zlib";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventType, timestampDate } from "@cascade/contracts";
import { ingestService } from "../src/index.js";
import { basicAuth, postJson, startTestPlatform, type TestPlatform } from "@cascade/testing";
import { EventCollector, sleep, timestampOf } from "./event-collector.js";

interface ErrorBody {
  statusCode: number;
  message: string;
  issues?: Array<{ field: string; message: string }>;
}

describe("ingest tracking API on the real broker and PostgreSQL", () => {
  let platform: TestPlatform;
  let events: EventCollector;
  let auth: Record<string, string>;
  const admin = (): Record<string, string> => ({ authorization: `Bearer ${platform.workspace.adminKey}` });
  const post = (path: string, body: unknown, headers: Record<string, string> = auth): Promise<Response> =>
    postJson(`${platform.url}${path}`, body, headers);

  beforeAll(async () => {
    platform = await startTestPlatform({ services: [ingestService] });
    events = await EventCollector.start(platform);
    auth = { authorization: basicAuth(platform.workspace.writeKey) };
  });
  afterAll(async () => {
    await events?.close();
    await platform?.close();
  });

  it("puts each call type on events.v1 keyed by workspace:contact, after which it answers 200", async () => {
    const user = `u-${randomUUID()}`;
    const calls: Array<[string, Record<string, unknown>, EventType]> = [
      ["/v1/identify", { userId: user, traits: { email: "a@example.com" } }, EventType.IDENTIFY],
      ["/v1/track", { userId: user, event: "Signed Up", properties: { plan: "pro" } }, EventType.TRACK],
      [
        "/v1/page",
        { userId: user, name: "Pricing", category: "Docs", properties: { path: "/pricing" } },
        EventType.PAGE,
      ],
      ["/v1/screen", { userId: user, name: "Home" }, EventType.SCREEN],
      ["/v1/group", { userId: user, groupId: "acme", traits: { plan: "team" } }, EventType.GROUP],
      ["/v1/alias", { userId: user, previousId: "anon-1" }, EventType.ALIAS],
    ];
    for (const [path, body] of calls) {
      const response = await post(path, body);
      expect(response.status, path).toBe(200);
      expect(await response.json()).toEqual({ success: true });
    }
    const mine = await events.waitFor((event) => event.userId === user, calls.length);
    expect(mine.map((m) => m.value.type).sort()).toEqual(calls.map(([, , type]) => type).sort());
    for (const message of mine) {
      expect(message.key).toBe(`${platform.workspaceId}:${user}`);
      expect(message.value.envelope?.workspace).toBe(platform.workspaceId);
      expect(message.value.sourceId).toBe("default");
    }
    const byType = new Map(mine.map((m) => [m.value.type, m.value]));
    expect(byType.get(EventType.TRACK)).toMatchObject({ event: "Signed Up", properties: { plan: "pro" } });
    expect(byType.get(EventType.PAGE)).toMatchObject({ name: "Pricing", category: "Docs" });
    expect(byType.get(EventType.GROUP)).toMatchObject({ groupId: "acme", traits: { plan: "team" } });
    expect(byType.get(EventType.ALIAS)).toMatchObject({ previousId: "anon-1" });
    expect(byType.get(EventType.IDENTIFY)?.traits).toEqual({ email: "a@example.com" });
  });

  it("keys an anonymous visitor by anonymousId and accepts writeKey in a text/plain JSON body (browser beacons)", async () => {
    const anonymousId = `anon-${randomUUID()}`;
    const response = await fetch(`${platform.url}/v1/page`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ anonymousId, name: "Home", writeKey: platform.workspace.writeKey }),
    });
    expect(response.status).toBe(200);
    const [message] = await events.waitFor((event) => event.anonymousId === anonymousId);
    expect(message!.key).toBe(`${platform.workspaceId}:${anonymousId}`);
    expect(message!.value.contactId).toBe(anonymousId);
  });

  it("corrects the client's clock skew: timestamp = receivedAt - (sentAt - timestamp)", async () => {
    const user = `skew-${randomUUID()}`;
    // The device clock is one hour ahead; the event happened 5 s before it was sent.
    const sentAt = new Date(Date.now() + 3_600_000);
    const timestamp = new Date(sentAt.getTime() - 5_000);
    await post("/v1/track", {
      userId: user,
      event: "Skewed",
      timestamp: timestamp.toISOString(),
      sentAt: sentAt.toISOString(),
    });
    const [message] = await events.waitFor((event) => event.userId === user);
    const receivedAt = timestampDate(message!.value.receivedAt!);
    expect(timestampOf(message!.value).getTime()).toBe(receivedAt.getTime() - 5_000);
    expect(Math.abs(receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("publishes a repeated messageId once, across calls and within a batch", async () => {
    const user = `dedup-${randomUUID()}`;
    const messageId = randomUUID();
    expect((await post("/v1/track", { userId: user, event: "Once", messageId })).status).toBe(200);
    expect((await post("/v1/track", { userId: user, event: "Once", messageId })).status).toBe(200);
    const batch = [
      { type: "track", userId: user, event: "Twice-in-batch", messageId: `${messageId}-b` },
      { type: "track", userId: user, event: "Twice-in-batch", messageId: `${messageId}-b` },
      { type: "track", userId: user, event: "Marker", messageId: `${messageId}-m` },
    ];
    expect((await post("/v1/batch", { batch })).status).toBe(200);
    await events.waitFor((event) => event.userId === user && event.event === "Marker");
    await sleep(300);
    expect(events.matching((event) => event.userId === user && event.event === "Once")).toHaveLength(1);
    expect(events.matching((event) => event.userId === user && event.event === "Twice-in-batch")).toHaveLength(1);
  });

  it("accepts a gzip-compressed batch, applying batch-level sentAt and context", async () => {
    const user = `gzip-${randomUUID()}`;
    const body = gzipSync(
      JSON.stringify({
        batch: [
          { type: "identify", userId: user, traits: { name: "Zip" } },
          { type: "track", userId: user, event: "Zipped", context: { ip: "10.0.0.1" } },
        ],
        context: { library: { name: "test" } },
        sentAt: new Date().toISOString(),
      }),
    );
    const response = await fetch(`${platform.url}/v1/batch`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", "content-encoding": "gzip" },
      body,
    });
    expect(response.status).toBe(200);
    const mine = await events.waitFor((event) => event.userId === user, 2);
    const identify = mine.find((m) => m.value.type === EventType.IDENTIFY)!.value;
    const track = mine.find((m) => m.value.type === EventType.TRACK)!.value;
    expect(identify.context).toEqual({ library: { name: "test" } });
    expect(track.context).toEqual({ ip: "10.0.0.1" });
    expect(identify.sentAt).toBeDefined();
  });

  it("refuses a batch with an invalid message as a whole, naming each bad field, and publishes none of it", async () => {
    const user = `bad-batch-${randomUUID()}`;
    const response = await post("/v1/batch", {
      batch: [
        { type: "track", userId: user, event: "Fine" },
        { type: "track", userId: user },
        { type: "launch", userId: user },
        { type: "identify" },
      ],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.issues).toEqual([
      { field: "batch.1.event", message: "is required" },
      { field: "batch.2.type", message: "must be one of identify, track, page, screen, group, alias" },
      { field: "batch.3.userId", message: "userId or anonymousId is required" },
    ]);
    await sleep(500);
    expect(events.matching((event) => event.userId === user)).toHaveLength(0);
  });

  it("answers 400 naming the field and the reason for bad input, and 401 for unknown or missing keys", async () => {
    const cases: Array<[string, BodyInit, Record<string, string>, string]> = [
      [
        "/v1/track",
        JSON.stringify({ userId: "x", event: "e", timestamp: "yesterday" }),
        { "content-type": "application/json" },
        "timestamp",
      ],
      [
        "/v1/track",
        JSON.stringify({ userId: "x", event: "e", properties: [1, 2] }),
        { "content-type": "application/json" },
        "properties",
      ],
      ["/v1/group", JSON.stringify({ userId: "x" }), { "content-type": "application/json" }, "groupId"],
      ["/v1/batch", JSON.stringify({ batch: [] }), { "content-type": "application/json" }, "batch"],
      ["/v1/track", "[1,2,3]", { "content-type": "application/json" }, "body"],
      ["/v1/track", "{not json", { "content-type": "text/plain" }, "body"],
    ];
    for (const [path, body, headers, field] of cases) {
      const response = await fetch(`${platform.url}${path}`, {
        method: "POST",
        headers: { ...auth, ...headers },
        body,
      });
      expect(response.status, `${path} ${String(body)}`).toBe(400);
      expect(((await response.json()) as ErrorBody).message).toContain(field);
    }
    expect((await post("/v1/track", { userId: "x", event: "e" }, { authorization: basicAuth("wk_nope") })).status).toBe(
      401,
    );
    expect((await post("/v1/track", { userId: "x", event: "e" }, {})).status).toBe(401);
  });

  it("enforces 32 KB a message and 500 KB a batch, and survives random bytes and huge bodies", async () => {
    const big = "x".repeat(33 * 1024);
    const single = await post("/v1/track", { userId: "big", event: "Big", properties: { big } });
    expect(single.status).toBe(400);
    expect(((await single.json()) as ErrorBody).message).toMatch(/body: exceeds the limit of 32 KB/);

    const oneTooBig = await post("/v1/batch", {
      batch: [{ type: "track", userId: "big", event: "Big", properties: { big } }],
    });
    expect(oneTooBig.status).toBe(400);
    expect(((await oneTooBig.json()) as ErrorBody).message).toMatch(/batch\.0: is 34 KB, above the limit of 32 KB/);

    const many = Array.from({ length: 20 }, () => ({
      type: "track",
      userId: "big",
      event: "Big",
      properties: { p: "y".repeat(30 * 1024) },
    }));
    const tooBig = await post("/v1/batch", { batch: many });
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as ErrorBody).message).toMatch(/exceeds the limit of 500 KB/);

    // A 20 MB body of zeros compresses to ~20 KB: refused while decompressing, never held in memory.
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const bombed = await fetch(`${platform.url}/v1/batch`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", "content-encoding": "gzip" },
      body: bomb,
    });
    expect(bombed.status).toBe(400);

    for (const contentType of ["application/json", "text/plain", "application/octet-stream"]) {
      const noise = await fetch(`${platform.url}/v1/track`, {
        method: "POST",
        headers: { ...auth, "content-type": contentType },
        body: randomBytes(4096),
      });
      expect([400, 415], contentType).toContain(noise.status);
    }
    const badGzip = await fetch(`${platform.url}/v1/track`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", "content-encoding": "gzip" },
      body: randomBytes(2048),
    });
    expect(badGzip.status).toBe(400);
    const huge = await fetch(`${platform.url}/v1/batch`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: Buffer.alloc(3 * 1024 * 1024, 0x20),
    });
    expect([400, 413]).toContain(huge.status);
    // Still serving.
    expect((await post("/v1/track", { userId: "after-noise", event: "Alive" })).status).toBe(200);
  });

  it("answers CORS preflights and sets CORS headers on tracking responses", async () => {
    const preflight = await fetch(`${platform.url}/v1/batch`, {
      method: "OPTIONS",
      headers: {
        origin: "https://shop.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("authorization,content-type");
    const response = await post(
      "/v1/track",
      { userId: "cors", event: "Cors" },
      { ...auth, origin: "https://shop.example.com" },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
  });

  it("manages sources through the admin API: a new key tracks into its workspace, rotation and revocation stop the old key", async () => {
    const otherWorkspace = `${platform.workspaceId}-b`;
    expect((await post(`/api/ingest/workspaces/${otherWorkspace}/sources`, { name: "web" }, {})).status).toBe(401);
    const created = await post(`/api/ingest/workspaces/${otherWorkspace}/sources`, { name: "web" }, admin());
    expect(created.status).toBe(201);
    const source = (await created.json()) as { id: string; writeKey: string; writeKeyPrefix: string };
    expect(source.writeKey).toMatch(/^wk_/);
    expect(source.writeKey.startsWith(source.writeKeyPrefix.replace("…", ""))).toBe(true);

    const user = `src-${randomUUID()}`;
    expect(
      (await post("/v1/track", { userId: user, event: "Via Source" }, { authorization: basicAuth(source.writeKey) }))
        .status,
    ).toBe(200);
    const [message] = await events.waitFor((event) => event.userId === user);
    expect(message!.key).toBe(`${otherWorkspace}:${user}`);
    expect(message!.value.sourceId).toBe(source.id);

    const listed = (await (
      await fetch(`${platform.url}/api/ingest/workspaces/${otherWorkspace}/sources`, { headers: admin() })
    ).json()) as {
      sources: Array<{ id: string; writeKey?: string }>;
    };
    expect(listed.sources.map((s) => s.id)).toEqual([source.id]);
    expect(listed.sources[0]!.writeKey).toBeUndefined();

    const rotated = (await (
      await post(`/api/ingest/workspaces/${otherWorkspace}/sources/${source.id}/rotate-key`, {}, admin())
    ).json()) as { writeKey: string };
    expect(
      (await post("/v1/track", { userId: user, event: "Old" }, { authorization: basicAuth(source.writeKey) })).status,
    ).toBe(401);
    expect(
      (await post("/v1/track", { userId: user, event: "New" }, { authorization: basicAuth(rotated.writeKey) })).status,
    ).toBe(200);

    const revoked = await fetch(`${platform.url}/api/ingest/workspaces/${otherWorkspace}/sources/${source.id}`, {
      method: "DELETE",
      headers: admin(),
    });
    expect(revoked.status).toBe(204);
    expect(
      (await post("/v1/track", { userId: user, event: "Gone" }, { authorization: basicAuth(rotated.writeKey) })).status,
    ).toBe(401);
  });

  it("lets a workspace admin key manage its own workspace only", async () => {
    const workspace = `${platform.workspaceId}-c`;
    const created = await post(`/api/ingest/workspaces/${workspace}/admin-keys`, { name: "ops" }, admin());
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const own = await post(
      `/api/ingest/workspaces/${workspace}/sources`,
      { name: "server" },
      { authorization: `Bearer ${key}` },
    );
    expect(own.status).toBe(201);
    const other = await post(
      `/api/ingest/workspaces/${platform.workspaceId}/sources`,
      { name: "x" },
      { authorization: `Bearer ${key}` },
    );
    expect(other.status).toBe(403);
    const invalid = await post(
      `/api/ingest/workspaces/${workspace}/sources`,
      { name: "" },
      { authorization: `Bearer ${key}` },
    );
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as ErrorBody).issues?.[0]?.field).toBe("name");
  });

  it("rate-limits per write key with 429 and Retry-After, without affecting other keys", async () => {
    const created = await post(
      `/api/ingest/workspaces/${platform.workspaceId}/sources`,
      { name: "limited", rateLimitPerSecond: 1 },
      admin(),
    );
    const { writeKey } = (await created.json()) as { writeKey: string };
    const limited = { authorization: basicAuth(writeKey) };
    // A bucket of 2 refilled at 1 a second: of 10 concurrent calls, 2 pass plus one per second they take.
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post("/v1/track", { userId: "rl", event: `n${i}` }, limited)),
    );
    const elapsedSeconds = (Date.now() - started) / 1000;
    const passed = responses.filter((response) => response.status === 200).length;
    const refused = responses.filter((response) => response.status === 429);
    expect(passed + refused.length).toBe(10);
    expect(passed).toBeGreaterThanOrEqual(2);
    expect(passed).toBeLessThanOrEqual(2 + Math.ceil(elapsedSeconds));
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await refused[0]!.json()) as ErrorBody).message).toContain("rate limit");
    expect((await post("/v1/track", { userId: "rl", event: "default key" })).status).toBe(200);
  });
});
