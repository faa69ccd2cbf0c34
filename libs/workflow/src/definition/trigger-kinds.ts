import { z } from "zod";
import {
  cronSchema,
  durationSchema,
  expressionSchema,
  localTimeSchema,
  offsetSchema,
  propertyPathSchema,
  timeZoneSchema,
} from "./config-fields.js";
import type { ConfigExpression } from "./node-kind.js";
import { defineNodeKind, fixedHandles, NEXT_HANDLE } from "./node-kind.js";

const optionalFilter = (filter: string | undefined, path = "filter"): ConfigExpression[] =>
  filter === undefined ? [] : [{ path, source: filter, expect: "boolean" }];

export const timeBasedTrigger = defineNodeKind({
  kind: "time_based",
  category: "trigger",
  label: "Scheduled",
  description: "Starts runs on a cron schedule, or relative to a date property of each contact (± offset).",
  configSchema: z.discriminatedUnion("mode", [
    z.object({
      mode: z.literal("cron"),
      cron: cronSchema,
      timezone: timeZoneSchema,
      /** Which contacts a tick starts runs for. */
      audience: expressionSchema.optional(),
    }),
    z.object({
      mode: z.literal("date_property"),
      property: propertyPathSchema,
      offset: offsetSchema,
      /** Local time of day to fire, in the contact's time zone (fallback below). */
      at: localTimeSchema.optional(),
      fallbackTimezone: timeZoneSchema,
      audience: expressionSchema.optional(),
    }),
  ]),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) => optionalFilter(config.audience, "audience"),
});

export const behavioralTrigger = defineNodeKind({
  kind: "behavioral",
  category: "trigger",
  label: "Behaviour",
  description:
    "Starts a run when a contact does something: events from a set, filters, counts within a window, URL patterns, visit frequency, time on page.",
  configSchema: z.object({
    events: z.array(z.string().min(1)).min(1, "name at least one event"),
    filter: expressionSchema.optional(),
    /** Fire only once the events happened at least `min` times within `within`. */
    count: z.object({ min: z.number().int().min(1), within: durationSchema }).optional(),
    /** Globs over event.properties.url, e.g. `*\/pricing*`. */
    urlPatterns: z.array(z.string().min(1)).optional(),
    visitFrequency: z.object({ visits: z.number().int().min(1), within: durationSchema }).optional(),
    minTimeOnPageSeconds: z.number().int().min(1).optional(),
  }),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) => optionalFilter(config.filter),
});

export const eventTrigger = defineNodeKind({
  kind: "event",
  category: "trigger",
  label: "Event",
  description: "Starts a run when a named event arrives and matches the filter.",
  configSchema: z.object({ event: z.string().min(1), filter: expressionSchema.optional() }),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) => optionalFilter(config.filter),
});

export const webhookTrigger = defineNodeKind({
  kind: "webhook",
  category: "trigger",
  label: "Webhook",
  description: "Starts a run when the workspace's webhook with this id is called.",
  configSchema: z.object({ hookId: z.string().min(1), filter: expressionSchema.optional() }),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) => optionalFilter(config.filter),
});

export const manualTrigger = defineNodeKind({
  kind: "manual",
  category: "trigger",
  label: "Manual",
  description: "Starts runs when someone enrols contacts by hand or through the API.",
  configSchema: z.object({ note: z.string().optional() }),
  handles: fixedHandles(NEXT_HANDLE),
});

export const predictiveTrigger = defineNodeKind({
  kind: "predictive",
  category: "trigger",
  label: "Prediction",
  description: "Starts a run when a model's score crosses the threshold (edge-triggered: once per crossing).",
  configSchema: z.object({
    model: z.string().min(1),
    threshold: z.number(),
    direction: z.enum(["above", "below"]),
    filter: expressionSchema.optional(),
  }),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) => optionalFilter(config.filter),
});

export const TRIGGER_KINDS = [
  timeBasedTrigger,
  behavioralTrigger,
  eventTrigger,
  webhookTrigger,
  manualTrigger,
  predictiveTrigger,
] as const;
