import { generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ManualClock } from "@cascade/compliance";
import {
  AccessTokenError,
  FIREBASE_MESSAGING_SCOPE,
  parseServiceAccountKey,
  ServiceAccountAccessTokens,
  ServiceAccountKeyError,
  signServiceAccountJwt,
  StaticAccessToken,
} from "./google-service-account.js";

const TOKEN_URI = "https://oauth2.example.test/token";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const keyJson = (fields: Record<string, unknown> = {}): string =>
  JSON.stringify({
    type: "service_account",
    project_id: "demo-project",
    private_key_id: "key-1",
    private_key: privateKeyPem,
    client_email: "push@demo-project.iam.gserviceaccount.com",
    client_id: "1234567890",
    token_uri: TOKEN_URI,
    ...fields,
  });
const key = parseServiceAccountKey(keyJson());

function decodeJwt(jwt: string, verifyWith: KeyObject = publicKey) {
  const [header, claims, signature] = jwt.split(".") as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims, "base64url").toString()) as Record<string, unknown>,
    signed: verify("sha256", Buffer.from(`${header}.${claims}`), verifyWith, Buffer.from(signature, "base64url")),
  };
}

/**
 * An in-memory token endpoint as Google runs it: a form-encoded jwt-bearer grant whose assertion verifies with the
 * service account's public key and is addressed to it; answers a new token each time, after `gate` resolves.
 */
class FakeTokenEndpoint {
  readonly requests: Array<{ claims: Record<string, unknown> }> = [];
  answer: (n: number) => { status: number; body: unknown } = (n) => ({
    status: 200,
    body: { access_token: `token-${n}`, expires_in: 3600, token_type: "Bearer" },
  });
  gate: Promise<void> = Promise.resolve();

  readonly fetch: typeof fetch = async (input, init) => {
    expect(String(input)).toBe(TOKEN_URI);
    expect(init?.method).toBe("POST");
    expect(new Headers(init?.headers).get("content-type")).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(String(init?.body));
    expect(form.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    const jwt = decodeJwt(form.get("assertion") ?? "");
    if (!jwt.signed || jwt.claims.aud !== TOKEN_URI)
      return Response.json({ error: "invalid_grant", error_description: "Invalid JWT Signature." }, { status: 400 });
    this.requests.push({ claims: jwt.claims });
    await this.gate;
    const { status, body } = this.answer(this.requests.length);
    return Response.json(body, { status });
  };
}

describe("parseServiceAccountKey", () => {
  it("reads a Google service-account key file", () => {
    expect(key).toMatchObject({
      projectId: "demo-project",
      clientEmail: "push@demo-project.iam.gserviceaccount.com",
      privateKeyId: "key-1",
      tokenUri: TOKEN_URI,
    });
    expect(key.privateKey.asymmetricKeyType).toBe("rsa");
  });

  it("names the missing or bad field", () => {
    const errorOf = (text: string): string => {
      try {
        parseServiceAccountKey(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ServiceAccountKeyError);
        return (error as Error).message;
      }
      throw new Error("expected the key to be rejected");
    };
    expect(errorOf(keyJson({ client_email: undefined }))).toBe('missing field "client_email"');
    expect(errorOf(keyJson({ private_key: undefined }))).toBe('missing field "private_key"');
    expect(errorOf(keyJson({ token_uri: undefined }))).toBe('missing field "token_uri"');
    expect(errorOf(keyJson({ client_email: 42 }))).toBe('field "client_email" must be a non-empty string');
    expect(errorOf(keyJson({ private_key: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n" }))).toBe(
      'field "private_key" is not a PEM private key',
    );
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" });
    expect(errorOf(keyJson({ private_key: ec.toString() }))).toBe(
      'field "private_key" is a ec key, expected RSA (RS256)',
    );
    expect(errorOf(keyJson({ token_uri: "http://oauth2.example.test/token" }))).toContain(
      'field "token_uri" must be an https URL',
    );
    expect(errorOf(keyJson({ type: "authorized_user" }))).toContain('field "type" is "authorized_user"');
    expect(errorOf("[]")).toContain("not a JSON object");
  });

  it("does not quote the key when the JSON is broken", () => {
    const broken = keyJson().slice(0, -1);
    expect(() => parseServiceAccountKey(broken)).toThrow(/^not valid JSON/);
    try {
      parseServiceAccountKey(broken);
    } catch (error) {
      expect((error as Error).message).not.toContain("PRIVATE KEY");
      expect((error as Error).message).not.toContain("demo-project");
    }
  });

  it("accepts a token_uri over http only on a loopback address (local test servers)", () => {
    expect(parseServiceAccountKey(keyJson({ token_uri: "http://127.0.0.1:4000/token" })).tokenUri).toBe(
      "http://127.0.0.1:4000/token",
    );
  });
});

describe("signServiceAccountJwt", () => {
  it("signs RS256 with iss, scope, aud, iat and exp one hour later; verifiable with the public key", () => {
    const jwt = signServiceAccountJwt(key, FIREBASE_MESSAGING_SCOPE, new Date("2030-01-15T12:00:00.900Z"));
    const decoded = decodeJwt(jwt);
    expect(decoded.header).toEqual({ alg: "RS256", typ: "JWT", kid: "key-1" });
    const iat = Date.parse("2030-01-15T12:00:00Z") / 1000;
    expect(decoded.claims).toEqual({
      iss: "push@demo-project.iam.gserviceaccount.com",
      scope: "https://www.googleapis.com/auth/firebase.messaging",
      aud: TOKEN_URI,
      iat,
      exp: iat + 3600,
    });
    expect(decoded.signed).toBe(true);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
    expect(decodeJwt(jwt, other).signed).toBe(false);
  });
});

describe("ServiceAccountAccessTokens", () => {
  const setup = (start = "2030-01-15T12:00:00Z") => {
    const clock = new ManualClock(start);
    const endpoint = new FakeTokenEndpoint();
    const tokens = new ServiceAccountAccessTokens(key, { clock, fetch: endpoint.fetch });
    return { clock, endpoint, tokens };
  };

  it("exchanges a signed JWT for an access token and caches it", async () => {
    const { endpoint, tokens } = setup();
    expect(await tokens.token()).toBe("token-1");
    expect(await tokens.token()).toBe("token-1");
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0]?.claims).toMatchObject({
      iss: key.clientEmail,
      scope: FIREBASE_MESSAGING_SCOPE,
      iat: Date.parse("2030-01-15T12:00:00Z") / 1000,
    });
  });

  it("shares one token request among concurrent callers (single flight)", async () => {
    const { endpoint, tokens } = setup();
    let open = (): void => {};
    endpoint.gate = new Promise((resolve) => (open = resolve));
    const waiting = Promise.all(Array.from({ length: 5 }, () => tokens.token()));
    await new Promise((resolve) => setTimeout(resolve, 10));
    open();
    expect(await waiting).toEqual(Array(5).fill("token-1"));
    expect(endpoint.requests).toHaveLength(1);
  });

  it("refreshes 5 minutes before expiry, with a new JWT issued at that time", async () => {
    const { clock, endpoint, tokens } = setup();
    await tokens.token();
    clock.advance(54 * 60_000 + 59_000); // 5 min 1 s before expiry
    expect(await tokens.token()).toBe("token-1");
    clock.advance(1_000); // exactly 5 min before expiry
    expect(await tokens.token()).toBe("token-2");
    expect(endpoint.requests).toHaveLength(2);
    expect(endpoint.requests[1]?.claims.iat).toBe(Date.parse("2030-01-15T12:55:00Z") / 1000);
    clock.advance(54 * 60_000);
    expect(await tokens.token()).toBe("token-2");
    expect(endpoint.requests).toHaveLength(2);
  });

  it("refreshes a short-lived token halfway through its life rather than on every call", async () => {
    const { clock, endpoint, tokens } = setup();
    endpoint.answer = (n) => ({ status: 200, body: { access_token: `short-${n}`, expires_in: 120 } });
    expect(await tokens.token()).toBe("short-1");
    clock.advance(59_000);
    expect(await tokens.token()).toBe("short-1");
    clock.advance(1_000);
    expect(await tokens.token()).toBe("short-2");
  });

  it("forgets a token the API refused once, however many sends report it", async () => {
    const { endpoint, tokens } = setup();
    const refused = await tokens.token();
    tokens.invalidate(refused);
    tokens.invalidate(refused);
    const [a, b] = await Promise.all([tokens.token(), tokens.token()]);
    expect([a, b]).toEqual(["token-2", "token-2"]);
    tokens.invalidate(refused); // a late report about the old token keeps the new one
    expect(await tokens.token()).toBe("token-2");
    expect(endpoint.requests).toHaveLength(2);
  });

  it("reports token endpoint errors with Google's error text, caches nothing and tries again next time", async () => {
    const { endpoint, tokens } = setup();
    endpoint.answer = () => ({
      status: 400,
      body: { error: "invalid_grant", error_description: "Invalid JWT: Token must be a short-lived token" },
    });
    const results = await Promise.allSettled([tokens.token(), tokens.token()]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    const error = (results[0] as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(AccessTokenError);
    expect(error.message).toBe(
      "token endpoint answered 400 invalid_grant: Invalid JWT: Token must be a short-lived token",
    );
    expect(endpoint.requests).toHaveLength(1);
    endpoint.answer = () => ({ status: 200, body: { expires_in: 3600 } });
    await expect(tokens.token()).rejects.toThrow("token endpoint answered 200 without an access_token");
    endpoint.answer = (n) => ({ status: 200, body: { access_token: `token-${n}`, expires_in: 3600 } });
    expect(await tokens.token()).toBe("token-3");
  });

  it("reports an unreachable token endpoint", async () => {
    const tokens = new ServiceAccountAccessTokens(key, {
      fetch: () => Promise.reject(new TypeError("fetch failed")),
    });
    await expect(tokens.token()).rejects.toThrow(new AccessTokenError("token endpoint unreachable: fetch failed"));
  });
});

describe("StaticAccessToken", () => {
  it("always gives the configured token and cannot refresh", async () => {
    const token = new StaticAccessToken("ya29.static");
    token.invalidate();
    expect(await token.token()).toBe("ya29.static");
    expect(token.refreshable).toBe(false);
  });
});
