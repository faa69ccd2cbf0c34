import { describe, expect, it } from "vitest";
import { hmacSha256Hex, sameHex, verifySha256Header } from "./signatures.js";

describe("signatures", () => {
  const body = Buffer.from('{"order":42}');
  const secret = "whsec_test";

  it("accepts sha256=<hex> of the raw body with the right secret only", () => {
    const good = `sha256=${hmacSha256Hex(secret, body)}`;
    expect(verifySha256Header(good, secret, body)).toBe(true);
    expect(verifySha256Header(good.toUpperCase().replace("SHA256=", "sha256="), secret, body)).toBe(true);
    expect(verifySha256Header(good, "other", body)).toBe(false);
    expect(verifySha256Header(good, secret, Buffer.from('{"order":43}'))).toBe(false);
    expect(verifySha256Header(hmacSha256Hex(secret, body), secret, body)).toBe(false);
    expect(verifySha256Header(undefined, secret, body)).toBe(false);
  });

  it("compares hex in constant time and refuses malformed input", () => {
    expect(sameHex("zz", "00")).toBe(false);
    expect(sameHex("00", "0000")).toBe(false);
    expect(sameHex("ABCD", "abcd")).toBe(true);
  });
});
