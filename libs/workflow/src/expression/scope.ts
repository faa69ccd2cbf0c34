import type { ExprType } from "./types.js";

/**
 * Describes one field that expressions may name. An object field lists its known children in `fields`;
 * `open` admits any other child name with the given type (e.g. `contact.traits.*`).
 */
export interface FieldSpec {
  /** Type of the field's value when used directly; objects default to `any`. */
  readonly type?: ExprType;
  readonly fields?: Readonly<Record<string, FieldSpec>>;
  /** Type of children not listed in `fields`; when absent, unknown children are errors. */
  readonly open?: ExprType;
  /** Path this field is a shorthand for, e.g. `score` → `contact.lead_score`. */
  readonly aliasOf?: readonly string[];
  readonly description?: string;
}

/** The fields an expression may name, keyed by root (`contact`, `event`, `prediction`, `run`, ...). */
export interface ExpressionScope {
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

/**
 * Top-level shorthands for contact fields, so conditions read `score >= 50`. The evaluator resolves
 * them against `contact.*` when the context has no top-level value of that name.
 */
export const CONTACT_SHORTHANDS: Readonly<Record<string, readonly string[]>> = {
  score: ["contact", "lead_score"],
  lead_score: ["contact", "lead_score"],
  engagement_score: ["contact", "engagement_score"],
};

const openObject = (description: string): FieldSpec => ({ open: "any", description });

/** The scope used by workflow definitions: contact, event, prediction, run and the score shorthands. */
export function defaultScope(): ExpressionScope {
  return {
    fields: {
      contact: {
        description: "The contact the run is for",
        fields: {
          id: { type: "string" },
          email: { type: "string" },
          phone: { type: "string" },
          timezone: { type: "string", description: "IANA time zone, e.g. Europe/Paris" },
          locale: { type: "string" },
          created_at: { type: "date" },
          lead_score: { type: "number" },
          engagement_score: { type: "number", description: "0..1" },
          tags: { type: { list: "string" } },
          consent: { open: "boolean", description: "Consent per channel, e.g. contact.consent.email" },
          traits: {
            description: "Free-form traits; any name is allowed",
            open: "any",
            fields: {
              first_name: { type: "string" },
              last_name: { type: "string" },
              company: { type: "string" },
              industry: { type: "string" },
              job_title: { type: "string" },
              lead_status: { type: "string" },
            },
          },
        },
      },
      event: {
        description: "The event that triggered the run or ended a wait",
        fields: {
          id: { type: "string" },
          name: { type: "string" },
          timestamp: { type: "date" },
          properties: openObject("Event properties, e.g. event.properties.url"),
          context: openObject("Event context (page, user agent, campaign)"),
        },
      },
      prediction: { open: "number", description: "Latest model scores, e.g. prediction.churn" },
      run: {
        description: "The current run",
        fields: {
          id: { type: "string" },
          workflow_id: { type: "string" },
          started_at: { type: "date" },
          vars: openObject("Run variables set by earlier steps, e.g. run.vars.item"),
        },
      },
      score: { type: "number", aliasOf: CONTACT_SHORTHANDS["score"], description: "Shorthand for contact.lead_score" },
      lead_score: {
        type: "number",
        aliasOf: CONTACT_SHORTHANDS["lead_score"],
        description: "Shorthand for contact.lead_score",
      },
      engagement_score: {
        type: "number",
        aliasOf: CONTACT_SHORTHANDS["engagement_score"],
        description: "Shorthand for contact.engagement_score",
      },
    },
  };
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] as number;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] as number;
}

/** The closest candidate within a small distance, if any. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    // A prefix ("lowercase" for "lower") counts as a near miss.
    const isPrefix = name.startsWith(candidate) || candidate.startsWith(name);
    const distance = isPrefix ? 1 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
