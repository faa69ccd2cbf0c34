import { describe, expect, it } from "vitest";
import { detectCrisis } from "./crisis-detector.js";
import { mentionSentiment } from "./mention-sentiment.js";

const rule = { factor: 3, baselineFloor: 0.05, minMentions: 5 };

describe("detectCrisis", () => {
  it("alarms when the negative share exceeds factor × baseline", () => {
    // baseline 10 % negative → threshold 30 %; 4 of 10 = 40 %.
    expect(detectCrisis({ total: 10, negative: 4 }, { total: 100, negative: 10 }, rule)).toMatchObject({
      alarm: true,
      negativeRate: 0.4,
      baselineRate: 0.1,
    });
    // 3 of 10 = 30 % is not above 30 %.
    expect(detectCrisis({ total: 10, negative: 3 }, { total: 100, negative: 10 }, rule)).toEqual({ alarm: false });
  });

  it("needs a minimum of mentions and floors a zero baseline", () => {
    expect(detectCrisis({ total: 4, negative: 4 }, { total: 100, negative: 0 }, rule)).toEqual({ alarm: false });
    // Baseline 0 → floor 5 % → threshold 15 %: 1 of 10 is fine, 2 of 10 alarms.
    expect(detectCrisis({ total: 10, negative: 1 }, { total: 0, negative: 0 }, rule)).toEqual({ alarm: false });
    expect(detectCrisis({ total: 10, negative: 2 }, { total: 0, negative: 0 }, rule).alarm).toBe(true);
  });
});

describe("mentionSentiment", () => {
  it("labels clearly positive, negative and neutral mentions", () => {
    expect(mentionSentiment("@cascade love this, amazing launch").label).toBe("positive");
    expect(mentionSentiment("@cascade terrible outage, awful support").label).toBe("negative");
    expect(mentionSentiment("@cascade what time is the webinar").label).toBe("neutral");
  });
});
