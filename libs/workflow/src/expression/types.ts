/** Static types of the expression language. */
export type ScalarType = "number" | "string" | "boolean" | "date" | "duration" | "null" | "any";

export interface ListType {
  readonly list: ExprType;
}

export type ExprType = ScalarType | ListType;

export const ANY_LIST: ListType = { list: "any" };

export function isListType(type: ExprType): type is ListType {
  return typeof type === "object";
}

export function formatType(type: ExprType): string {
  return isListType(type) ? `list<${formatType(type.list)}>` : type;
}

export function sameType(a: ExprType, b: ExprType): boolean {
  if (isListType(a) && isListType(b)) return sameType(a.list, b.list);
  return a === b;
}

/** True when a value of type `actual` may be used where `expected` is wanted. `any` and `null` fit anywhere. */
export function isAssignable(actual: ExprType, expected: ExprType): boolean {
  if (actual === "any" || actual === "null" || expected === "any") return true;
  if (isListType(expected)) return isListType(actual) && isAssignable(actual.list, expected.list);
  if (isListType(actual)) return false;
  // ISO-8601 strings are accepted where dates are wanted; the evaluator parses them.
  if (expected === "date" && actual === "string") return true;
  return actual === expected;
}

/** The common type of several values (list elements, coalesce arguments); `any` when they differ. */
export function unifyTypes(types: readonly ExprType[]): ExprType {
  const informative = types.filter((type) => type !== "null");
  const first = informative[0];
  if (first === undefined) return types.length > 0 ? "null" : "any";
  return informative.every((type) => sameType(type, first)) ? first : "any";
}
