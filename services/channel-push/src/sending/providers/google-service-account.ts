import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import { systemClock, type Clock } from "@cascade/compliance";

/** The OAuth 2 scope of the FCM HTTP v1 API. */
export const FIREBASE_MESSAGING_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Google accepts assertions valid for at most one hour. */
const ASSERTION_LIFETIME_SECONDS = 3600;
/** A cached access token is replaced this long before it expires. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;
/** When the token endpoint does not say (`expires_in` is optional in RFC 6749): Google's tokens last an hour. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The parts of a Google service-account key file (`"type": "service_account"`) that authentication needs. */
export interface ServiceAccountKey {
  /** `project_id`; FCM_PROJECT_ID overrides it. */
  projectId: string | undefined;
  /** `client_email`: the JWT's issuer. */
  clientEmail: string;
  /** `private_key` (RSA, PEM), parsed once; a KeyObject never prints its secret. */
  privateKey: KeyObject;
  /** `private_key_id`, sent as the JWT header's `kid` when present. */
  privateKeyId: string | undefined;
  /** `token_uri`: where the signed JWT is exchanged for an access token, and the JWT's audience. */
  tokenUri: string;
}

/** A service-account key that cannot be used; the message names the field and never quotes the key. */
export class ServiceAccountKeyError extends Error {
  override readonly name = "ServiceAccountKeyError";
}

/**
 * Parses the JSON of a service-account key (Firebase console → Project settings → Service accounts → Generate new
 * private key). Requires `client_email`, `private_key` (an RSA private key in PEM) and `token_uri` (https, or http
 * on a loopback address); `type`, when present, must be `service_account`.
 *
 * @throws ServiceAccountKeyError naming the missing or bad field.
 */
export function parseServiceAccountKey(text: string): ServiceAccountKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // JSON.parse's own message quotes the text, which holds the private key: say only where it broke.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
    throw new ServiceAccountKeyError(`not valid JSON${position ? ` (at position ${position})` : ""}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new ServiceAccountKeyError("not a JSON object (expected a service-account key file)");
  const fields = json as Record<string, unknown>;
  if (fields.type !== undefined && fields.type !== "service_account")
    throw new ServiceAccountKeyError(
      `field "type" is ${JSON.stringify(fields.type)}, expected "service_account" (a service-account key file)`,
    );
  const clientEmail = requiredString(fields, "client_email");
  const privateKeyPem = requiredString(fields, "private_key");
  const tokenUri = requiredString(fields, "token_uri");
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: privateKeyPem, format: "pem" });
  } catch {
    throw new ServiceAccountKeyError(`field "private_key" is not a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== "rsa")
    throw new ServiceAccountKeyError(
      `field "private_key" is a ${privateKey.asymmetricKeyType ?? "non-RSA"} key, expected RSA (RS256)`,
    );
  let url: URL;
  try {
    url = new URL(tokenUri);
  } catch {
    throw new ServiceAccountKeyError(`field "token_uri" is not a URL: ${JSON.stringify(tokenUri)}`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)))
    throw new ServiceAccountKeyError(`field "token_uri" must be an https URL (http only on a loopback address)`);
  return {
    projectId: optionalString(fields, "project_id"),
    clientEmail,
    privateKey,
    privateKeyId: optionalString(fields, "private_key_id"),
    tokenUri,
  };
}

function requiredString(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (value === undefined || value === null) throw new ServiceAccountKeyError(`missing field "${name}"`);
  if (typeof value !== "string" || value.trim() === "")
    throw new ServiceAccountKeyError(`field "${name}" must be a non-empty string`);
  return value;
}

function optionalString(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new ServiceAccountKeyError(`field "${name}" must be a string`);
  return value;
}

/**
 * The assertion of Google's OAuth 2.0 service-account flow (RFC 7523): a JWT signed RS256 with the key's private
 * key; `iss` = client_email, `scope`, `aud` = token_uri, `iat`, `exp` = iat + 1 hour.
 */
export function signServiceAccountJwt(key: ServiceAccountKey, scope: string, issuedAt: Date): string {
  const iat = Math.floor(issuedAt.getTime() / 1000);
  const header = { alg: "RS256", typ: "JWT", ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) };
  const claims = { iss: key.clientEmail, scope, aud: key.tokenUri, iat, exp: iat + ASSERTION_LIFETIME_SECONDS };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  // RSASSA-PKCS1-v1_5 (Node's default padding for RSA keys) with SHA-256 is RS256.
  const signature = sign("sha256", Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString("base64url")}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Where an API adapter gets its OAuth 2 bearer token. */
export interface AccessTokenSource {
  /** A token to send now (cached or fetched). @throws AccessTokenError when none can be had. */
  token(): Promise<string>;
  /** Whether forgetting a refused token can give a different one (false for a static token). */
  readonly refreshable: boolean;
  /** The API answered 401 for `token`: drop it so the next `token()` fetches a new one (once, if several report it). */
  invalidate(token: string): void;
}

/** The token endpoint did not give a token; the message says why (never the assertion). */
export class AccessTokenError extends Error {
  override readonly name = "AccessTokenError";
}

/** FCM_ACCESS_TOKEN: a token obtained elsewhere, used as it is (Google's expire after an hour). */
export class StaticAccessToken implements AccessTokenSource {
  readonly refreshable = false;
  constructor(private readonly value: string) {}
  token(): Promise<string> {
    return Promise.resolve(this.value);
  }
  invalidate(): void {}
}

export interface ServiceAccountTokensOptions {
  /** Default: the FCM scope. */
  scope?: string;
  /** The JWT's `iat` and the cache's expiry come from this clock (the wall clock by default). */
  clock?: Clock;
  /** Per token request. */
  timeoutMs?: number;
  /** For tests; `fetch` by default. */
  fetch?: typeof fetch;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which the token is not used any more (expiry minus the refresh margin). */
  refreshAt: number;
}

/**
 * Access tokens from a service-account key: a signed JWT exchanged at the key's token_uri
 * (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>`). The token is cached and replaced
 * 5 minutes before it expires (or halfway through its life, if that is shorter); callers that need a token while
 * one is being fetched wait for that same request.
 */
export class ServiceAccountAccessTokens implements AccessTokenSource {
  readonly refreshable = true;
  private readonly scope: string;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;

  constructor(
    private readonly key: ServiceAccountKey,
    options: ServiceAccountTokensOptions = {},
  ) {
    this.scope = options.scope ?? FIREBASE_MESSAGING_SCOPE;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async token(): Promise<string> {
    if (this.cached && this.clock.now().getTime() < this.cached.refreshAt) return this.cached.value;
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).value;
  }

  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async request(): Promise<CachedToken> {
    const issuedAt = this.clock.now();
    const assertion = signServiceAccountJwt(this.key, this.scope, issuedAt);
    let response: Response;
    try {
      response = await this.fetch(this.key.tokenUri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new AccessTokenError(
        `token endpoint unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const text = await response.text().catch(() => "");
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // described below by status
    }
    if (!response.ok) {
      const error = [body.error, body.error_description].filter((part) => typeof part === "string").join(": ");
      throw new AccessTokenError(
        `token endpoint answered ${response.status}${error ? ` ${truncate(error)}` : ""}`.trimEnd(),
      );
    }
    if (typeof body.access_token !== "string" || body.access_token === "")
      throw new AccessTokenError(`token endpoint answered ${response.status} without an access_token`);
    const lifetimeSeconds =
      typeof body.expires_in === "number" && body.expires_in > 0
        ? body.expires_in
        : typeof body.expires_in === "string" && Number(body.expires_in) > 0
          ? Number(body.expires_in)
          : DEFAULT_TOKEN_LIFETIME_SECONDS;
    const lifetimeMs = lifetimeSeconds * 1000;
    // Measured from when the request was made, so time spent waiting for the answer counts against the token.
    const expiresAt = issuedAt.getTime() + lifetimeMs;
    this.cached = {
      value: body.access_token,
      refreshAt: expiresAt - Math.min(REFRESH_BEFORE_EXPIRY_MS, lifetimeMs / 2),
    };
    return this.cached;
  }
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
