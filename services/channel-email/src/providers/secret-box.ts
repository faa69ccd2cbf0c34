import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/**
 * Encrypts provider secrets at rest with AES-256-GCM. The key is SHA-256 of EMAIL_SECRETS_KEY; each value
 * gets a fresh 96-bit nonce. Stored form: `v1.<nonce>.<tag>.<ciphertext>` (base64url).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(passphrase: string) {
    if (passphrase.length < 16) throw new SecretBoxError("EMAIL_SECRETS_KEY must be at least 16 characters");
    this.key = createHash("sha256").update(passphrase).digest();
  }

  seal(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return ["v1", nonce, cipher.getAuthTag(), sealed]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  open(stored: string): string {
    const [version, nonce, tag, sealed] = stored.split(".");
    if (version !== "v1" || !nonce || !tag || sealed === undefined)
      throw new SecretBoxError("stored secret is not in the v1 format");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(nonce, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretBoxError("stored secret cannot be decrypted (wrong EMAIL_SECRETS_KEY?)");
    }
  }
}
