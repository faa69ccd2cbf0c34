import { describe, expect, it } from "vitest";
import { redirectTarget } from "./click-redirect.js";

describe("redirectTarget", () => {
  it("keeps the link's own parameters and UTM, adding campaign UTM only where missing", () => {
    const target = redirectTarget("https://shop.example.com/p?id=7&utm_source=partner#top", {
      utm_source: "cascade",
      utm_medium: "email",
      campaign: "spring",
    });
    const url = new URL(target);
    expect(url.searchParams.get("id")).toBe("7");
    expect(url.searchParams.get("utm_source")).toBe("partner");
    expect(url.searchParams.get("utm_medium")).toBe("email");
    expect(url.searchParams.get("utm_campaign")).toBe("spring");
    expect(url.hash).toBe("#top");
  });

  it("returns the link unchanged without campaign UTM and refuses non-http schemes", () => {
    expect(redirectTarget("https://example.com/a?b=c", undefined)).toBe("https://example.com/a?b=c");
    expect(() => redirectTarget("javascript:alert(1)", undefined)).toThrow();
  });
});
