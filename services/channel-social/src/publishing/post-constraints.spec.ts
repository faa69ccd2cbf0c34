import { describe, expect, it } from "vitest";
import { checkPost, extractHashtags, xWeightedLength } from "./post-constraints.js";

describe("xWeightedLength", () => {
  it("counts a URL as 23 whatever its length, Latin as 1 and CJK / emoji as 2", () => {
    expect(xWeightedLength("hello")).toBe(5);
    expect(xWeightedLength(`see https://example.com/${"a".repeat(200)}`)).toBe(4 + 23);
    expect(xWeightedLength("日本")).toBe(4);
    expect(xWeightedLength("🚀")).toBe(2);
  });
});

describe("checkPost", () => {
  it("accepts 280 weighted characters on X and refuses 281, naming the length", () => {
    expect(checkPost({ platform: "x", text: "a".repeat(280), mediaUrls: [] })).toMatchObject({ ok: true, length: 280 });
    expect(checkPost({ platform: "x", text: "a".repeat(281), mediaUrls: [] })).toMatchObject({
      ok: false,
      reason: "text_too_long",
      details: { length: 281, max_length: 280 },
    });
    // 257 letters + a long URL (23) = 280: fits although the raw string is far longer.
    expect(
      checkPost({ platform: "x", text: `${"a".repeat(256)} https://example.com/${"p".repeat(100)}`, mediaUrls: [] }).ok,
    ).toBe(true);
    // 141 CJK characters weigh 282.
    expect(checkPost({ platform: "x", text: "字".repeat(141), mediaUrls: [] })).toMatchObject({
      ok: false,
      reason: "text_too_long",
    });
  });

  it("applies each platform's own text limit", () => {
    expect(checkPost({ platform: "linkedin", text: "a".repeat(3_000), mediaUrls: [] }).ok).toBe(true);
    expect(checkPost({ platform: "linkedin", text: "a".repeat(3_001), mediaUrls: [] })).toMatchObject({
      ok: false,
      reason: "text_too_long",
    });
    expect(checkPost({ platform: "facebook", text: "a".repeat(63_206), mediaUrls: [] }).ok).toBe(true);
    expect(checkPost({ platform: "facebook", text: "a".repeat(63_207), mediaUrls: [] }).ok).toBe(false);
    const image = ["https://cdn.example/a.jpg"];
    expect(checkPost({ platform: "instagram", text: "a".repeat(2_200), mediaUrls: image }).ok).toBe(true);
    expect(checkPost({ platform: "instagram", text: "a".repeat(2_201), mediaUrls: image })).toMatchObject({
      ok: false,
      reason: "text_too_long",
    });
  });

  it("requires media on Instagram, caps its hashtags at 30, and knows a video from an image", () => {
    expect(checkPost({ platform: "instagram", text: "caption", mediaUrls: [] })).toMatchObject({
      ok: false,
      reason: "media_required",
    });
    const tags = Array.from({ length: 31 }, (_, i) => `#tag${i}`).join(" ");
    expect(checkPost({ platform: "instagram", text: tags, mediaUrls: ["https://cdn.example/a.jpg"] })).toMatchObject({
      ok: false,
      reason: "too_many_hashtags",
    });
    expect(
      checkPost({ platform: "instagram", text: "clip", mediaUrls: ["https://cdn.example/v.mp4?sig=1"] }),
    ).toMatchObject({ ok: true, media: [{ kind: "video" }] });
  });

  it("refuses media it cannot publish rather than posting without it, and bad media URLs", () => {
    expect(checkPost({ platform: "x", text: "pic", mediaUrls: ["https://cdn.example/a.jpg"] })).toMatchObject({
      ok: false,
      reason: "media_not_supported",
    });
    expect(checkPost({ platform: "facebook", text: "clip", mediaUrls: ["https://cdn.example/v.mov"] })).toMatchObject({
      ok: false,
      reason: "video_not_supported",
    });
    expect(
      checkPost({
        platform: "facebook",
        text: "two",
        mediaUrls: ["https://a.example/1.jpg", "https://a.example/2.jpg"],
      }),
    ).toMatchObject({ ok: false, reason: "too_many_media" });
    expect(checkPost({ platform: "facebook", text: "x", mediaUrls: ["ftp://a.example/1.jpg"] })).toMatchObject({
      ok: false,
      reason: "invalid_media_url",
    });
    expect(checkPost({ platform: "facebook", text: "  ", mediaUrls: [] })).toMatchObject({
      ok: false,
      reason: "empty_post",
    });
  });
});

describe("extractHashtags", () => {
  it("finds hashtags, lower-cased, ignoring anchors in URLs and pure numbers", () => {
    expect(extractHashtags("Launch day #Cascade #launch2030! see https://x.example/#frag and #123")).toEqual([
      "cascade",
      "launch2030",
    ]);
  });
});
