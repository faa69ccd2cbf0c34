import type { ExpressionNode } from "@cascade/workflow";
import { CONTACT_SHORTHANDS } from "@cascade/workflow";

/**
 * Static facts about a parsed expression that decide where it is evaluated: which roots it reads
 * (`event`, `contact`, `prediction`), and which event names it can be true for.
 */

/** The roots an expression reads; shorthands such as `score` count as `contact`. */
export function rootsOf(ast: ExpressionNode): Set<string> {
  const roots = new Set<string>();
  const visit = (node: ExpressionNode): void => {
    switch (node.type) {
      case "path": {
        const root = node.segments[0] as string;
        roots.add(Object.prototype.hasOwnProperty.call(CONTACT_SHORTHANDS, root) ? "contact" : root);
        return;
      }
      case "list":
        node.items.forEach(visit);
        return;
      case "call":
        node.args.forEach(visit);
        return;
      case "unary":
        visit(node.operand);
        return;
      case "binary":
        visit(node.left);
        visit(node.right);
        return;
      case "literal":
      case "duration":
        return;
    }
  };
  visit(ast);
  return roots;
}

const isEventName = (node: ExpressionNode): boolean =>
  node.type === "path" && node.segments.length === 2 && node.segments[0] === "event" && node.segments[1] === "name";

const stringLiteral = (node: ExpressionNode): string | undefined =>
  node.type === "literal" && typeof node.value === "string" ? node.value : undefined;

/**
 * The event names for which the condition can be true, or undefined when it does not constrain the name.
 * `event.name == 'purchase'` → {purchase}; `event.name in ['a', 'b']` → {a, b}; `x and y` → the constraint of
 * either side (the smaller); `x or y` → the union when both sides are constrained.
 */
export function eventNamesOf(ast: ExpressionNode): Set<string> | undefined {
  if (ast.type !== "binary") return undefined;
  const { operator, left, right } = ast;
  if (operator === "==") {
    const name = isEventName(left) ? stringLiteral(right) : isEventName(right) ? stringLiteral(left) : undefined;
    return name === undefined ? undefined : new Set([name]);
  }
  if (operator === "in" && isEventName(left) && right.type === "list") {
    const names = right.items.map(stringLiteral);
    return names.every((name): name is string => name !== undefined) ? new Set(names) : undefined;
  }
  if (operator === "and") {
    const a = eventNamesOf(left);
    const b = eventNamesOf(right);
    if (a && b) return a.size <= b.size ? a : b;
    return a ?? b;
  }
  if (operator === "or") {
    const a = eventNamesOf(left);
    const b = eventNamesOf(right);
    return a && b ? new Set([...a, ...b]) : undefined;
  }
  return undefined;
}
