import { describe, expect, it } from "vitest";
import { SecretBox } from "./secret-box.js";

describe("SecretBox", () => {
  it("round-trips, hides the plain text and refuses another key", () => {
    const sealed = new SecretBox("a-key-of-sixteen-chars").seal('{"apiKey":"key-123"}');
    expect(sealed).not.toContain("key-123");
    expect(new SecretBox("a-key-of-sixteen-chars").open(sealed)).toBe('{"apiKey":"key-123"}');
    expect(() => new SecretBox("another-key-of-16-chars").open(sealed)).toThrow(/cannot be decrypted/);
  });
});
