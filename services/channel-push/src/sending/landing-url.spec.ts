import { describe, expect, it } from "vitest";
import { withLandingParameter } from "./landing-url.js";

describe("withLandingParameter", () => {
  it("adds the push's key to the notification link, keeping the rest of the URL", () => {
    expect(withLandingParameter("https://shop.example/sale?utm_source=push#top", "cascade_push", "run-1:n1")).toBe(
      "https://shop.example/sale?utm_source=push&cascade_push=run-1%3An1#top",
    );
    expect(withLandingParameter("https://shop.example/?cascade_push=old", "cascade_push", "new")).toBe(
      "https://shop.example/?cascade_push=new",
    );
  });

  it("leaves the link alone when disabled or not an absolute http(s) URL", () => {
    expect(withLandingParameter("https://shop.example/sale", "", "k")).toBe("https://shop.example/sale");
    expect(withLandingParameter("/sale", "cascade_push", "k")).toBe("/sale");
    expect(withLandingParameter("mailto:a@b.c", "cascade_push", "k")).toBe("mailto:a@b.c");
  });
});
