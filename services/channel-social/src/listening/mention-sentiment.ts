import Sentiment from "sentiment";

export type SentimentLabel = "positive" | "neutral" | "negative";

export interface MentionSentiment {
  /** AFINN-165 sum over the words (the `sentiment` package). */
  score: number;
  /** score / word count, comparable across lengths. */
  comparative: number;
  label: SentimentLabel;
}

const analyzer = new Sentiment();

/** Sentiment of a mention (same method as ingest's reply sentiment): comparative ≥ 0.05 positive, ≤ −0.05 negative. */
export function mentionSentiment(text: string): MentionSentiment {
  const result = analyzer.analyze(text.slice(0, 10_000));
  const comparative = Number(result.comparative.toFixed(4));
  return {
    score: result.score,
    comparative,
    label: comparative >= 0.05 ? "positive" : comparative <= -0.05 ? "negative" : "neutral",
  };
}
