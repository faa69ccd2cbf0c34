/**
 * Runtime values of the expression language. Durations are numbers of milliseconds; dates are Date
 * objects, and ISO-8601 strings are read as dates wherever a date is wanted.
 */
export type RuntimeValue = null | boolean | number | string | Date | readonly RuntimeValue[] | RuntimeObject;

export interface RuntimeObject {
  readonly [key: string]: unknown;
}

/** Segments that would reach an object's prototype machinery; paths through them read as null. */
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

function isPlainObject(value: object): value is RuntimeObject {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Normalises data from a context into a runtime value; anything exotic (functions, symbols, class instances) is null. */
export function toRuntimeValue(value: unknown): RuntimeValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return Number(value);
    case "object":
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
      if (Array.isArray(value)) return value.map(toRuntimeValue);
      return isPlainObject(value) ? value : null;
    case "undefined":
    case "function":
    case "symbol":
      return null;
  }
  return null;
}

/** Reads an own property of a plain object; never touches prototypes, getters on classes or functions. */
export function readProperty(container: unknown, key: string): RuntimeValue {
  if (FORBIDDEN_SEGMENTS.has(key)) return null;
  if (container === null || typeof container !== "object" || Array.isArray(container)) return null;
  if (container instanceof Date || !isPlainObject(container)) return null;
  const descriptor = Object.getOwnPropertyDescriptor(container, key);
  if (!descriptor || !("value" in descriptor)) return null;
  return toRuntimeValue(descriptor.value);
}

export function readPath(container: unknown, segments: readonly string[]): RuntimeValue {
  let current: unknown = container;
  for (const segment of segments) {
    current = readProperty(current, segment);
    if (current === null) return null;
  }
  return toRuntimeValue(current);
}

const ISO_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/** Reads a value as a date: Date, ISO-8601 string, or epoch milliseconds. */
export function toDate(value: RuntimeValue): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === "string") {
    // Only ISO-8601 (YYYY-MM-DD...) counts: Date.parse accepts other shapes differently per engine.
    if (!ISO_DATE_PREFIX.test(value)) return null;
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : new Date(time);
  }
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value);
  return null;
}

function isList(value: RuntimeValue): value is readonly RuntimeValue[] {
  return Array.isArray(value);
}

/** Equality: strict for scalars (no string/number coercion), by time for dates, element-wise for lists. */
export function valuesEqual(a: RuntimeValue, b: RuntimeValue): boolean {
  if (a instanceof Date || b instanceof Date) {
    const left = a instanceof Date ? a : typeof a === "string" ? toDate(a) : null;
    const right = b instanceof Date ? b : typeof b === "string" ? toDate(b) : null;
    return left !== null && right !== null && left.getTime() === right.getTime();
  }
  if (isList(a) || isList(b)) {
    if (!isList(a) || !isList(b) || a.length !== b.length) return false;
    return a.every((item, index) => valuesEqual(item, b[index] as RuntimeValue));
  }
  if (typeof a === "object" || typeof b === "object") return a === b;
  return a === b;
}

/**
 * Orders two values: negative, zero or positive; null when they are not comparable (either is null,
 * or their kinds differ), in which case every ordering comparison is false.
 */
export function compareValues(a: RuntimeValue, b: RuntimeValue): number | null {
  if (a === null || b === null) return null;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a instanceof Date || b instanceof Date) {
    const left = a instanceof Date ? a : typeof a === "string" ? toDate(a) : null;
    const right = b instanceof Date ? b : typeof b === "string" ? toDate(b) : null;
    return left && right ? left.getTime() - right.getTime() : null;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

/** Membership: element of a list, or substring of a string. */
export function isMember(item: RuntimeValue, collection: RuntimeValue): boolean {
  if (isList(collection)) return collection.some((element) => valuesEqual(item, element));
  if (typeof collection === "string" && typeof item === "string") return collection.includes(item);
  return false;
}
