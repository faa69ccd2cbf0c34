import { z } from "zod";
import { parseDuration } from "../duration.js";

/**
 * Building blocks shared by the node config schemas. `meta({ widget })` tells the builder which
 * input to render (it survives into z.toJSONSchema output).
 */

export const nodeIdSchema = z.string().min(1, "must not be empty").max(128);

/** Short identifiers for handles, case ids, variant ids and run variables. */
export const handleIdSchema = z
  .string()
  .min(1, "must not be empty")
  .max(64)
  .refine((value) => [...value].every((char) => /[A-Za-z0-9_-]/.test(char)), "use letters, digits, '_' or '-'");

/** An expression in the workflow expression language; parsed and type-checked by the validator. */
export const expressionSchema = z.string().min(1, "expression must not be empty").meta({ widget: "expression" });

export const durationSchema = z
  .string()
  .refine((value) => parseDuration(value).ok, { message: "must be a duration such as 2d, 3h or 1h30m" })
  .refine((value) => !parseDuration(value).ok || (parseDuration(value) as { milliseconds: number }).milliseconds > 0, {
    message: "must be longer than zero",
  })
  .meta({ widget: "duration" });

/** A duration that may be negative, for offsets from a date: `-7d`, `+2h`, `0d`. */
export const offsetSchema = z
  .string()
  .refine((value) => parseDuration(value, { allowSign: true }).ok, {
    message: "must be an offset such as -7d, +2h or 0d",
  })
  .meta({ widget: "offset" });

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: "must be an IANA time zone such as Europe/Paris or UTC" })
  .meta({ widget: "timezone" });

function isLocalTime(value: string): boolean {
  const [hours, minutes, ...rest] = value.split(":");
  if (rest.length > 0 || hours?.length !== 2 || minutes?.length !== 2) return false;
  const h = Number(hours);
  const m = Number(minutes);
  return Number.isInteger(h) && Number.isInteger(m) && h >= 0 && h <= 23 && m >= 0 && m <= 59;
}

/** A wall-clock time `HH:MM` (24 h). */
export const localTimeSchema = z
  .string()
  .refine(isLocalTime, { message: "must be a time HH:MM such as 09:30" })
  .meta({ widget: "time" });

/** A dotted property path such as `contact.traits.renewal_date`. */
export const propertyPathSchema = z
  .string()
  .min(1)
  .refine((value) => value.split(".").every((segment) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)), {
    message: "must be a dotted path such as contact.traits.renewal_date",
  })
  .meta({ widget: "field-path" });

export const literalValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A value written either as a literal or computed by an expression. */
export const valueSourceSchema = z.union([
  z.object({ value: literalValueSchema }).strict(),
  z.object({ expression: expressionSchema }).strict(),
]);
export type ValueSource = z.output<typeof valueSourceSchema>;

export const httpMethodSchema = z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]);

export const urlSchema = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  },
  { message: "must be an absolute http(s) URL" },
);

const CRON_FIELD_RANGES: readonly (readonly [string, number, number])[] = [
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["day of month", 1, 31],
  ["month", 1, 12],
  ["day of week", 0, 7],
];

function isCronNumber(text: string, min: number, max: number): boolean {
  if (text === "" || ![...text].every((char) => char >= "0" && char <= "9")) return false;
  const value = Number(text);
  return value >= min && value <= max;
}

/** Checks a standard 5-field cron expression (numeric fields, `*`, ranges, lists, steps); returns a problem or undefined. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return `cron '${expression}' must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  for (const [index, field] of fields.entries()) {
    const [name, min, max] = CRON_FIELD_RANGES[index] as readonly [string, number, number];
    for (const item of field.split(",")) {
      const [range, step, ...extra] = item.split("/");
      if (extra.length > 0 || range === undefined || (step !== undefined && !isCronNumber(step, 1, max))) {
        return `cron ${name} field '${field}' is not valid`;
      }
      if (range === "*") continue;
      const [from, to, ...more] = range.split("-");
      const validRange =
        more.length === 0 &&
        from !== undefined &&
        isCronNumber(from, min, max) &&
        (to === undefined || (isCronNumber(to, min, max) && Number(to) >= Number(from)));
      if (!validRange)
        return `cron ${name} field '${field}' must use numbers ${min}-${max}, '*', ranges, lists or steps`;
    }
  }
  return undefined;
}

export const cronSchema = z
  .string()
  .superRefine((value, context) => {
    const problem = cronProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  })
  .meta({ widget: "cron" });
