import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@cascade/config";
import { pushConfigSchema } from "../../push.config.js";
import type { PushSubscriptionRecord } from "../../subscriptions/push-subscription.repository.js";
import { PushProviderRegistry } from "../push-provider.registry.js";
import { FcmPushProvider } from "./fcm.provider.js";
import { parseServiceAccountKey, ServiceAccountAccessTokens } from "./google-service-account.js";
import type { PushDelivery } from "./push-provider.js";

/** FCM HTTP v1 on 127.0.0.1: accepts the bearer tokens in `accepted`, 401 UNAUTHENTICATED for any other. */
const fcm = {
  accepted: new Set<string>(),
  requests: [] as Array<{ path: string; authorization: string; token: string }>,
  url: "",
};
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const { message } = JSON.parse(Buffer.concat(chunks).toString()) as { message: { token: string } };
    const authorization = request.headers.authorization ?? "";
    fcm.requests.push({ path: request.url ?? "", authorization, token: message.token });
    response.setHeader("content-type", "application/json");
    if (!fcm.accepted.has(authorization.replace(/^Bearer /, ""))) {
      response.writeHead(401).end(JSON.stringify({ error: { code: 401, status: "UNAUTHENTICATED" } }));
      return;
    }
    response.writeHead(200).end(JSON.stringify({ name: `projects/demo/messages/${fcm.requests.length}` }));
  });
});

const delivery = (address = "device-token"): PushDelivery => ({
  subscription: { kind: "fcm", address } as PushSubscriptionRecord,
  payload: JSON.stringify({ title: "Hello", body: "World", key: "k1" }),
  ttlSeconds: 60,
  urgency: "normal",
});

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const serviceAccount = parseServiceAccountKey(
  JSON.stringify({
    type: "service_account",
    project_id: "demo",
    client_email: "push@demo.iam.gserviceaccount.com",
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    token_uri: "https://oauth2.example.test/token",
  }),
);

/** An in-memory token endpoint answering `token-1`, `token-2`, … or the given failure. */
function tokenEndpoint(failure?: { status: number; body: unknown }) {
  const requests: string[] = [];
  const fetch: typeof globalThis.fetch = () => {
    requests.push("token");
    return Promise.resolve(
      failure
        ? Response.json(failure.body, { status: failure.status })
        : Response.json({ access_token: `token-${requests.length}`, expires_in: 3600 }),
    );
  };
  return { requests, tokens: new ServiceAccountAccessTokens(serviceAccount, { fetch }) };
}

describe("FcmPushProvider", () => {
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fcm.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    fcm.accepted.clear();
    fcm.requests.length = 0;
  });
  const provider = (tokens: ServiceAccountAccessTokens) =>
    new FcmPushProvider({ projectId: "demo", tokens, baseUrl: fcm.url, timeoutMs: 5_000 });

  it("with FCM_ACCESS_TOKEN (static token): sends it as the bearer token; a 401 is final", async () => {
    const registry = new PushProviderRegistry(
      loadConfig(pushConfigSchema, { FCM_PROJECT_ID: "demo", FCM_ACCESS_TOKEN: "ya29.static", FCM_BASE_URL: fcm.url }),
    );
    const staticToken = registry.for("fcm");
    fcm.accepted.add("ya29.static");
    expect(await staticToken?.send(delivery())).toEqual({
      kind: "accepted",
      providerMessageId: "projects/demo/messages/1",
    });
    expect(fcm.requests).toEqual([
      { path: "/v1/projects/demo/messages:send", authorization: "Bearer ya29.static", token: "device-token" },
    ]);
    fcm.accepted.clear();
    expect(await staticToken?.send(delivery())).toEqual({
      kind: "rejected",
      status: 401,
      reason: "fcm_UNAUTHENTICATED",
      retryable: false,
    });
    expect(fcm.requests).toHaveLength(2);
  });

  it("with a service account: a 401 gets a new token and the send is tried once more", async () => {
    const { requests, tokens } = tokenEndpoint();
    fcm.accepted.add("token-2"); // token-1 is refused, as an expired or revoked token would be
    expect(await provider(tokens).send(delivery())).toMatchObject({ kind: "accepted" });
    expect(fcm.requests.map((request) => request.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
    expect(requests).toHaveLength(2);
  });

  it("retries only once: a second 401 is reported", async () => {
    const { requests, tokens } = tokenEndpoint();
    expect(await provider(tokens).send(delivery())).toEqual({
      kind: "rejected",
      status: 401,
      reason: "fcm_UNAUTHENTICATED",
      retryable: false,
    });
    expect(fcm.requests).toHaveLength(2);
    expect(requests).toHaveLength(2);
  });

  it("concurrent sends share one token request, and one refresh after a 401", async () => {
    const { requests, tokens } = tokenEndpoint();
    fcm.accepted.add("token-1");
    const push = provider(tokens);
    const results = await Promise.all(["a", "b", "c"].map((address) => push.send(delivery(address))));
    expect(results.map((result) => result.kind)).toEqual(["accepted", "accepted", "accepted"]);
    expect(requests).toHaveLength(1);

    fcm.accepted.clear(); // token-1 revoked
    fcm.accepted.add("token-2");
    const again = await Promise.all(["a", "b", "c"].map((address) => push.send(delivery(address))));
    expect(again.map((result) => result.kind)).toEqual(["accepted", "accepted", "accepted"]);
    expect(requests).toHaveLength(2);
  });

  it("a token endpoint failure is a retryable rejection naming it, and nothing is sent to FCM", async () => {
    const { tokens } = tokenEndpoint({ status: 503, body: { error: "backend_error" } });
    expect(await provider(tokens).send(delivery())).toEqual({
      kind: "rejected",
      status: 0,
      reason: "fcm_auth_failed: token endpoint answered 503 backend_error",
      retryable: true,
    });
    expect(fcm.requests).toHaveLength(0);
  });
});
