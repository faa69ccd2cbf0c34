/**
 * The VAPID public key as `pushManager.subscribe` wants it (`applicationServerKey`): the base64url text that
 * channel-push serves (`GET /api/push/vapid-public-key`, PUSH_VAPID_PUBLIC_KEY) decoded to the 65 bytes of an
 * uncompressed P-256 point.
 */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const text = base64url.trim().replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]*$/.test(text)) throw new TypeError("cascade.push: vapidPublicKey must be base64url text");
  const binary = atob(text + "=".repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (bytes.length !== 65 || bytes[0] !== 4)
    throw new TypeError("cascade.push: vapidPublicKey must be an uncompressed P-256 public key (65 bytes, base64url)");
  return bytes;
}

/** Whether an existing subscription was made with this key (a new VAPID key needs a new subscription). */
export function sameKey(current: ArrayBuffer | null | undefined, expected: Uint8Array): boolean {
  if (!current) return true; // the browser does not tell: keep the subscription
  const bytes = new Uint8Array(current);
  return bytes.length === expected.length && bytes.every((byte, index) => byte === expected[index]);
}
