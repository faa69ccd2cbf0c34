import { describe, expect, it } from "vitest";
import { routingHintOf, sentimentOf } from "./text-sentiment.js";

describe("sentimentOf / routingHintOf", () => {
  it("scores happy and angry replies on opposite sides", () => {
    expect(sentimentOf("Thanks, this looks great! I love it.").label).toBe("positive");
    expect(sentimentOf("This is terrible, the product is broken and I am angry.").label).toBe("negative");
    expect(sentimentOf("See the attached file.").label).toBe("neutral");
  });

  it("routes auto-replies, unsubscribe requests, complaints and buying interest", () => {
    const hint = (subject: string, text: string, autoSubmitted?: string) =>
      routingHintOf({ subject, text, autoSubmitted }, sentimentOf(text));
    expect(hint("Automatic reply: Spring offer", "I am away until Monday")).toBe("auto_reply");
    expect(hint("Re: offer", "hello", "auto-replied")).toBe("auto_reply");
    expect(hint("Re: offer", "Please remove me from this list")).toBe("unsubscribe_request");
    expect(hint("Re: offer", "Awful service, I am very disappointed and angry")).toBe("escalate");
    expect(hint("Re: offer", "Great, I am interested, can we schedule a demo? Thanks!")).toBe("sales_follow_up");
    expect(hint("Re: offer", "Got it.")).toBe("general");
  });
});
