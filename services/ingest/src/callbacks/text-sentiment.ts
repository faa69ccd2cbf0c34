import Sentiment from "sentiment";

const analyzer = new Sentiment();

export interface SentimentScore {
  /** AFINN-165 sum over the words (negative … positive). */
  score: number;
  /** score / number of words, roughly -5 … 5; comparable across text lengths. */
  comparative: number;
  label: "positive" | "neutral" | "negative";
}

/** Sentiment of an English text with the `sentiment` package (AFINN-165 word list, emoji aware). */
export function sentimentOf(text: string): SentimentScore {
  const result = analyzer.analyze(text.slice(0, 10_000));
  const comparative = Number(result.comparative.toFixed(4));
  const label = comparative >= 0.05 ? "positive" : comparative <= -0.05 ? "negative" : "neutral";
  return { score: result.score, comparative, label };
}

/** Where a reply should go, a hint for the workflow (a condition on `routing_hint`), not a decision. */
export type RoutingHint = "auto_reply" | "unsubscribe_request" | "escalate" | "sales_follow_up" | "general";

const AUTO_REPLY =
  /\b(out of (the )?office|automatic reply|auto-?reply|autoreply|away from (my|the) (desk|office)|on (annual )?leave)\b/i;
const UNSUBSCRIBE = /\b(unsubscribe|remove me|opt[- ]?out|stop (emailing|sending|contacting)|take me off)\b/i;
const BUYING = /\b(pricing|price|quote|demo|trial|buy|purchase|interested|call me|meeting|schedule)\b/i;

/**
 * The routing hint of an email reply: auto-replies (subject, or an Auto-Submitted header other than "no") and
 * unsubscribe requests first, then negative replies to escalate, positive replies with buying words to sales.
 */
export function routingHintOf(
  reply: { subject: string; text: string; autoSubmitted?: string },
  sentiment: SentimentScore,
): RoutingHint {
  if ((reply.autoSubmitted && reply.autoSubmitted.toLowerCase() !== "no") || AUTO_REPLY.test(reply.subject))
    return "auto_reply";
  if (UNSUBSCRIBE.test(reply.text) || UNSUBSCRIBE.test(reply.subject)) return "unsubscribe_request";
  if (sentiment.label === "negative") return "escalate";
  if (sentiment.label === "positive" && BUYING.test(reply.text)) return "sales_follow_up";
  return "general";
}
