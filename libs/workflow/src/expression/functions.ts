import { globMatches } from "./glob.js";
import type { ExprType } from "./types.js";
import { ANY_LIST, isListType, unifyTypes } from "./types.js";
import type { RuntimeValue } from "./values.js";
import { isMember, toDate } from "./values.js";

/** What a function implementation may read besides its arguments. */
export interface FunctionEnvironment {
  /** The evaluation clock; fixed per evaluation so results are deterministic. */
  readonly now: Date;
}

export interface FunctionParameter {
  readonly name: string;
  /** Accepted types; an argument fits when it is assignable to one of them. */
  readonly accepts: readonly ExprType[];
}

export interface ExpressionFunction {
  readonly description: string;
  readonly params: readonly FunctionParameter[];
  /** Number of leading parameters that must be given; defaults to all. */
  readonly required?: number;
  /** The last parameter may repeat. */
  readonly variadic?: boolean;
  readonly returns: (argumentTypes: readonly ExprType[]) => ExprType;
  /** Implementations never throw: bad input gives null. */
  readonly call: (args: readonly RuntimeValue[], environment: FunctionEnvironment) => RuntimeValue;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

const text = (name: string): FunctionParameter => ({ name, accepts: ["string"] });
const numeric = (name: string): FunctionParameter => ({ name, accepts: ["number"] });
const date = (name: string): FunctionParameter => ({ name, accepts: ["date", "number"] });
const anything = (name: string): FunctionParameter => ({ name, accepts: ["any"] });
const fixed = (type: ExprType) => (): ExprType => type;

const asString = (value: RuntimeValue): string | null => (typeof value === "string" ? value : null);
const asNumber = (value: RuntimeValue): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

function mapString(transform: (value: string) => RuntimeValue) {
  return (args: readonly RuntimeValue[]): RuntimeValue => {
    const value = asString(args[0] ?? null);
    return value === null ? null : transform(value);
  };
}

function elapsed(unitMs: number) {
  return (args: readonly RuntimeValue[], environment: FunctionEnvironment): RuntimeValue => {
    const since = toDate(args[0] ?? null);
    return since ? Math.floor((environment.now.getTime() - since.getTime()) / unitMs) : null;
  };
}

function extremum(pick: (a: number, b: number) => number) {
  return (args: readonly RuntimeValue[]): RuntimeValue => {
    const numbers = args.map((arg) => asNumber(arg));
    if (numbers.length === 0 || numbers.some((value) => value === null)) return null;
    return (numbers as number[]).reduce((a, b) => pick(a, b));
  };
}

function stringify(value: RuntimeValue): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The whitelist of functions an expression may call. Nothing else is callable. */
export const EXPRESSION_FUNCTIONS: Readonly<Record<string, ExpressionFunction>> = {
  lower: {
    description: "Lower-cases a string",
    params: [text("text")],
    returns: fixed("string"),
    call: mapString((s) => s.toLowerCase()),
  },
  upper: {
    description: "Upper-cases a string",
    params: [text("text")],
    returns: fixed("string"),
    call: mapString((s) => s.toUpperCase()),
  },
  trim: {
    description: "Removes surrounding white space",
    params: [text("text")],
    returns: fixed("string"),
    call: mapString((s) => s.trim()),
  },
  len: {
    description: "Length of a string or list",
    params: [{ name: "value", accepts: ["string", ANY_LIST] }],
    returns: fixed("number"),
    call: ([value]) => (typeof value === "string" || Array.isArray(value) ? value.length : null),
  },
  contains: {
    description: "True when a string contains a substring, or a list contains an element",
    params: [{ name: "haystack", accepts: ["string", ANY_LIST] }, anything("needle")],
    returns: fixed("boolean"),
    call: ([haystack, needle]) => isMember(needle ?? null, haystack ?? null),
  },
  starts_with: {
    description: "True when the string starts with the prefix",
    params: [text("text"), text("prefix")],
    returns: fixed("boolean"),
    call: ([value, prefix]) => typeof value === "string" && typeof prefix === "string" && value.startsWith(prefix),
  },
  ends_with: {
    description: "True when the string ends with the suffix",
    params: [text("text"), text("suffix")],
    returns: fixed("boolean"),
    call: ([value, suffix]) => typeof value === "string" && typeof suffix === "string" && value.endsWith(suffix),
  },
  matches: {
    description: "Case-insensitive glob match: * any run of characters, ? one character (not a regular expression)",
    params: [text("text"), text("pattern")],
    returns: fixed("boolean"),
    call: ([value, pattern]) =>
      typeof value === "string" &&
      typeof pattern === "string" &&
      globMatches(value, pattern, { caseInsensitive: true }),
  },
  now: {
    description: "The current time of the evaluation",
    params: [],
    returns: fixed("date"),
    call: (_args, environment) => environment.now,
  },
  date: {
    description: "Reads an ISO-8601 string (or epoch milliseconds) as a date",
    params: [{ name: "value", accepts: ["string", "number", "date"] }],
    returns: fixed("date"),
    call: ([value]) => toDate(value ?? null),
  },
  days_since: {
    description: "Whole days from a date until now",
    params: [date("date")],
    returns: fixed("number"),
    call: elapsed(DAY_MS),
  },
  hours_since: {
    description: "Whole hours from a date until now",
    params: [date("date")],
    returns: fixed("number"),
    call: elapsed(HOUR_MS),
  },
  date_add: {
    description: "A date moved by a (possibly negative) duration",
    params: [date("date"), { name: "duration", accepts: ["duration"] }],
    returns: fixed("date"),
    call: ([value, duration]) => {
      const start = toDate(value ?? null);
      const shift = asNumber(duration ?? null);
      return start && shift !== null ? new Date(start.getTime() + shift) : null;
    },
  },
  coalesce: {
    description: "The first argument that is not null",
    params: [anything("value")],
    variadic: true,
    returns: (types) => unifyTypes(types),
    call: (args) => args.find((arg) => arg !== null) ?? null,
  },
  round: {
    description: "Rounds to the given number of decimal places (default 0)",
    params: [numeric("number"), numeric("digits")],
    required: 1,
    returns: fixed("number"),
    call: ([value, digits]) => {
      const number = asNumber(value ?? null);
      const places = digits === undefined ? 0 : asNumber(digits);
      if (number === null || places === null) return null;
      const factor = 10 ** Math.max(0, Math.min(12, Math.trunc(places)));
      return finiteOrNull(Math.round(number * factor) / factor);
    },
  },
  floor: {
    description: "Largest integer not above the number",
    params: [numeric("number")],
    returns: fixed("number"),
    call: ([v]) => {
      const n = asNumber(v ?? null);
      return n === null ? null : Math.floor(n);
    },
  },
  ceil: {
    description: "Smallest integer not below the number",
    params: [numeric("number")],
    returns: fixed("number"),
    call: ([v]) => {
      const n = asNumber(v ?? null);
      return n === null ? null : Math.ceil(n);
    },
  },
  abs: {
    description: "Absolute value",
    params: [numeric("number")],
    returns: fixed("number"),
    call: ([v]) => {
      const n = asNumber(v ?? null);
      return n === null ? null : Math.abs(n);
    },
  },
  min: {
    description: "Smallest of the numbers",
    params: [numeric("number")],
    variadic: true,
    returns: fixed("number"),
    call: extremum(Math.min),
  },
  max: {
    description: "Largest of the numbers",
    params: [numeric("number")],
    variadic: true,
    returns: fixed("number"),
    call: extremum(Math.max),
  },
  to_number: {
    description: "Reads a string or boolean as a number (null when it is not one)",
    params: [anything("value")],
    returns: fixed("number"),
    call: ([value]) => {
      if (typeof value === "number") return value;
      if (typeof value === "boolean") return value ? 1 : 0;
      if (typeof value === "string" && value.trim() !== "") return finiteOrNull(Number(value));
      return null;
    },
  },
  to_string: {
    description: "Text form of a value (dates as ISO-8601)",
    params: [anything("value")],
    returns: fixed("string"),
    call: ([value]) => stringify(value ?? null),
  },
};

/** Looks a function up by name without reaching Object.prototype (e.g. `constructor`). */
export function findFunction(name: string): ExpressionFunction | undefined {
  return Object.prototype.hasOwnProperty.call(EXPRESSION_FUNCTIONS, name) ? EXPRESSION_FUNCTIONS[name] : undefined;
}

/** Names of the callable functions, for error messages and the builder's autocomplete. */
export function functionNames(): string[] {
  return Object.keys(EXPRESSION_FUNCTIONS).sort();
}

export function describeAccepted(parameter: FunctionParameter): string {
  return parameter.accepts.map((type) => (isListType(type) ? "list" : type)).join(" or ");
}
