import { generateKeyPairSync, randomBytes, verify, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

/**
 * Firebase on 127.0.0.1, as a service account sees it:
 * - `POST /token`, Google's OAuth 2.0 token endpoint for service accounts: a form-encoded jwt-bearer grant whose
 *   assertion must be an RS256 JWT signed by the service account's key, issued by its client_email, for the FCM
 *   scope, addressed to this endpoint, issued now and valid at most an hour; answers a new access token;
 * - `POST /v1/projects/<project>/messages:send`, FCM HTTP v1: accepts only access tokens it issued (401
 *   UNAUTHENTICATED otherwise), takes the tokens in `known`, answers UNREGISTERED for the rest.
 */
export class LocalFcm {
  readonly projectId = "demo-project";
  readonly clientEmail = `cascade-push@${this.projectId}.iam.gserviceaccount.com`;
  readonly received: Array<{ token: string; title: string; ttl: string }> = [];
  readonly known = new Set<string>();
  /** Token requests: the verified claims, or why the assertion was refused. */
  readonly tokenRequests: Array<{ claims?: Record<string, unknown>; refused?: string }> = [];
  /** Sends refused with 401. */
  unauthorized = 0;
  /** The next N token requests answer 503. */
  failTokenRequests = 0;
  private readonly keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  private readonly issued = new Set<string>();
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  /** The service-account key file Firebase's console would give for this project (a fresh RSA 2048 key). */
  serviceAccountJson(): string {
    return JSON.stringify({
      type: "service_account",
      project_id: this.projectId,
      private_key_id: "local-key-1",
      private_key: this.keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      client_email: this.clientEmail,
      client_id: "100000000000000000001",
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: `${this.url}/token`,
    });
  }

  /** Every access token issued so far stops working (as when they expire or are revoked). */
  revokeTokens(): void {
    this.issued.clear();
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    response.setHeader("content-type", "application/json");
    if (request.method === "POST" && request.url === "/token") return this.token(request, body, response);
    if (request.method !== "POST" || request.url !== `/v1/projects/${this.projectId}/messages:send`)
      return void response.writeHead(404).end("{}");
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!bearer || !this.issued.has(bearer)) {
      this.unauthorized++;
      response.writeHead(401).end(JSON.stringify({ error: { code: 401, status: "UNAUTHENTICATED" } }));
      return;
    }
    const { message } = JSON.parse(body) as {
      message: { token: string; notification: { title: string }; webpush: { headers: { TTL: string } } };
    };
    if (!this.known.has(message.token)) {
      response
        .writeHead(404)
        .end(JSON.stringify({ error: { status: "NOT_FOUND", details: [{ errorCode: "UNREGISTERED" }] } }));
      return;
    }
    this.received.push({ token: message.token, title: message.notification.title, ttl: message.webpush.headers.TTL });
    response
      .writeHead(200)
      .end(JSON.stringify({ name: `projects/${this.projectId}/messages/${this.received.length}` }));
  }

  private token(request: IncomingMessage, body: string, response: ServerResponse): void {
    if (this.failTokenRequests > 0) {
      this.failTokenRequests--;
      this.tokenRequests.push({ refused: "unavailable" });
      response.writeHead(503).end(JSON.stringify({ error: "backend_error" }));
      return;
    }
    const form = new URLSearchParams(body);
    const refused =
      request.headers["content-type"] !== "application/x-www-form-urlencoded"
        ? "content-type"
        : form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer"
          ? "grant_type"
          : undefined;
    const checked = refused ? { refused } : this.verifyAssertion(form.get("assertion") ?? "");
    this.tokenRequests.push(checked);
    if (checked.refused) {
      response.writeHead(400).end(JSON.stringify({ error: "invalid_grant", error_description: checked.refused }));
      return;
    }
    const accessToken = `ya29.local-${randomBytes(12).toString("hex")}`;
    this.issued.add(accessToken);
    response.writeHead(200).end(JSON.stringify({ access_token: accessToken, expires_in: 3599, token_type: "Bearer" }));
  }

  private verifyAssertion(jwt: string): { claims?: Record<string, unknown>; refused?: string } {
    const [header, claims, signature] = jwt.split(".");
    if (!header || !claims || !signature) return { refused: "not a JWT" };
    const decode = (part: string): Record<string, unknown> =>
      JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;
    if (decode(header).alg !== "RS256") return { refused: "alg" };
    const publicKey: KeyObject = this.keys.publicKey;
    if (!verify("sha256", Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, "base64url")))
      return { refused: "Invalid JWT Signature." };
    const body = decode(claims);
    const now = Math.floor(Date.now() / 1000);
    const iat = Number(body.iat);
    const exp = Number(body.exp);
    if (body.iss !== this.clientEmail) return { refused: "iss" };
    if (body.scope !== FCM_SCOPE) return { refused: "scope" };
    if (body.aud !== `${this.url}/token`) return { refused: "aud" };
    if (Math.abs(iat - now) > 60 || exp <= now || exp - iat > 3600) return { refused: "iat / exp" };
    return { claims: body };
  }
}
