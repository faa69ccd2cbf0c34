import { z } from "zod";

/** PUT /api/lead-scoring/rules body: the workspace's complete rule set. */
export const leadScoringRulesBody = z
  .object({
    rules: z
      .array(
        z.object({
          event: z.string().trim().min(1, "must name an event").max(200, "must be at most 200 characters"),
          points: z.number().finite().min(-1000, "must be at least -1000").max(1000, "must be at most 1000"),
        }),
      )
      .max(500, "at most 500 rules"),
  })
  .superRefine((body, context) => {
    const seen = new Set<string>();
    body.rules.forEach((rule, index) => {
      if (seen.has(rule.event))
        context.addIssue({
          code: "custom",
          path: ["rules", index, "event"],
          message: `duplicate rule for event "${rule.event}"`,
        });
      seen.add(rule.event);
    });
  });
