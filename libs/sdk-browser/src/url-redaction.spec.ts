import { describe, expect, it } from "vitest";
import { looksLikeCardNumber, REDACTED, redactUrl } from "./url-redaction.js";

describe("redactUrl", () => {
  it("redacts password, card and token parameters and keeps everything else as it was", () => {
    expect(
      redactUrl(
        "https://shop.example/thanks?email=ada%40example.com&password=hunter2&card_number=4111&utm_source=x#top",
      ),
    ).toBe(
      `https://shop.example/thanks?email=ada%40example.com&password=${REDACTED}&card_number=${REDACTED}&utm_source=x#top`,
    );
    expect(redactUrl("?access_token=abc&cvv=123&page=2")).toBe(`?access_token=${REDACTED}&cvv=${REDACTED}&page=2`);
  });

  it("recognises encoded parameter names and leaves URLs without a query alone", () => {
    expect(redactUrl("/p?user%5Bpassword%5D=x")).toBe(`/p?user%5Bpassword%5D=${REDACTED}`);
    expect(redactUrl("https://example.com/a#password=x")).toBe("https://example.com/a#password=x");
    expect(redactUrl("")).toBe("");
    expect(redactUrl("/p?flag&%E0%A4%A=1")).toBe("/p?flag&%E0%A4%A=1");
  });

  it("redacts a card number whatever its parameter is called, and leaves other long numbers alone", () => {
    expect(redactUrl("/thanks?card=4111111111111111&order=1234567890123")).toBe(
      `/thanks?card=${REDACTED}&order=1234567890123`,
    );
    expect(redactUrl("/thanks?c=4111+1111+1111+1111")).toBe(`/thanks?c=${REDACTED}`);
    expect(looksLikeCardNumber("5500-0000-0000-0004")).toBe(true);
    expect(looksLikeCardNumber("4111111111111112")).toBe(false);
    expect(looksLikeCardNumber("411111")).toBe(false);
  });
});
