import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A browser-side subscription: its ECDH P-256 key pair and auth secret, as a browser would hold them. */
export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  ecdh: ECDH;
  authSecret: Buffer;
}

export interface ReceivedPush {
  endpoint: string;
  /** The decrypted payload. */
  payload: string;
  ttl: string | undefined;
  urgency: string | undefined;
  topic: string | undefined;
  /** The VAPID public key the push was signed with (`k=`), and whether the JWT signature verified. */
  vapidKey: string;
  vapidValid: boolean;
}

/**
 * A local push service on 127.0.0.1 (RFC 8030) that keeps subscriptions like a browser vendor's service,
 * checks the VAPID JWT (RFC 8292, ES256) and decrypts each aes128gcm message (RFC 8188 / RFC 8291) with the
 * subscription's private key and auth secret. Endpoints marked gone answer 410.
 */
export class LocalPushService {
  readonly received: ReceivedPush[] = [];
  readonly gone = new Set<string>();
  private readonly subscriptions = new Map<string, BrowserSubscription>();
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** What `pushManager.subscribe()` gives a browser. */
  subscribe(): BrowserSubscription {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const authSecret = randomBytes(16);
    const endpoint = `${this.url}/push/${randomBytes(12).toString("hex")}`;
    const subscription = {
      endpoint,
      keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: authSecret.toString("base64url") },
      ecdh,
      authSecret,
    };
    this.subscriptions.set(new URL(endpoint).pathname, subscription);
    return subscription;
  }

  receivedBy(endpoint: string): ReceivedPush[] {
    return this.received.filter((push) => push.endpoint === endpoint);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = request.url ?? "";
    const subscription = this.subscriptions.get(path);
    if (request.method !== "POST" || !subscription) return end(response, 404);
    if (this.gone.has(subscription.endpoint)) return end(response, 410);
    if (request.headers["content-encoding"] !== "aes128gcm") return end(response, 415);
    const vapid = parseVapid(String(request.headers.authorization ?? ""), new URL(subscription.endpoint).origin);
    if (!vapid.valid) return end(response, 403);
    try {
      const payload = decryptAes128gcm(Buffer.concat(chunks), subscription);
      this.received.push({
        endpoint: subscription.endpoint,
        payload,
        ttl: header(request, "ttl"),
        urgency: header(request, "urgency"),
        topic: header(request, "topic"),
        vapidKey: vapid.key,
        vapidValid: vapid.valid,
      });
    } catch {
      return end(response, 400);
    }
    response.writeHead(201, { location: `${subscription.endpoint}/messages/${this.received.length}` });
    response.end();
  }
}

/** RFC 8291 §3.4 / RFC 8188: derive the content key and nonce, decrypt the single record, strip the padding. */
export function decryptAes128gcm(body: Buffer, subscription: Pick<BrowserSubscription, "ecdh" | "authSecret">): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderPublicKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const sharedSecret = subscription.ecdh.computeSecret(senderPublicKey);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), subscription.ecdh.getPublicKey(), senderPublicKey]);
  const ikm = Buffer.from(hkdfSync("sha256", sharedSecret, subscription.authSecret, keyInfo, 32));
  const contentKey = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", contentKey, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("aes128gcm: the last record has no 0x02 padding delimiter");
  return padded.subarray(0, end).toString("utf8");
}

/** Checks `Authorization: vapid t=<JWT>, k=<public key>`: ES256 signature, audience and expiry. */
function parseVapid(authorization: string, audience: string): { valid: boolean; key: string } {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
  if (!match) return { valid: false, key: "" };
  const [jwt, key] = [match[1] as string, match[2] as string];
  const [header, claims, signature] = jwt.split(".") as [string, string, string];
  const point = Buffer.from(key, "base64url");
  const publicKey = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33, 65).toString("base64url"),
    },
    format: "jwk",
  });
  const signed = verify(
    "sha256",
    Buffer.from(`${header}.${claims}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  const body = JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as { aud?: string; exp?: number };
  return { valid: signed && body.aud === audience && (body.exp ?? 0) * 1000 > Date.now(), key };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

function end(response: ServerResponse, status: number): void {
  response.writeHead(status);
  response.end();
}
