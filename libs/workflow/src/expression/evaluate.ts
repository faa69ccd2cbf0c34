import type { BinaryNode, ExpressionNode, PathNode } from "./ast.js";
import type { FunctionEnvironment } from "./functions.js";
import { findFunction } from "./functions.js";
import { CONTACT_SHORTHANDS } from "./scope.js";
import type { RuntimeValue } from "./values.js";
import { compareValues, isMember, readPath, readProperty, toDate, valuesEqual } from "./values.js";

/** The data an expression reads: `{ contact, event, prediction, run, ... }`. Plain JSON-like objects. */
export type EvaluationContext = Readonly<Record<string, unknown>>;

export interface EvaluateOptions {
  /** The clock for now(), days_since(), ...; pass it for reproducible results. Defaults to the current time. */
  readonly now?: Date | number;
}

/**
 * Evaluates a parsed expression. Never throws and never runs code from the context: missing data reads
 * as null, ordering comparisons with null are false, arithmetic on unsuitable values gives null, and
 * paths through `__proto__`, `constructor` or `prototype` read as null.
 */
export function evaluate(ast: ExpressionNode, context: EvaluationContext, options: EvaluateOptions = {}): RuntimeValue {
  const now = options.now === undefined ? new Date() : new Date(options.now);
  return new Evaluator(context, { now }).run(ast);
}

/** Evaluates a condition: true only when the expression yields exactly `true`. */
export function evaluateCondition(
  ast: ExpressionNode,
  context: EvaluationContext,
  options: EvaluateOptions = {},
): boolean {
  return evaluate(ast, context, options) === true;
}

class Evaluator {
  constructor(
    private readonly context: EvaluationContext,
    private readonly environment: FunctionEnvironment,
  ) {}

  run(node: ExpressionNode): RuntimeValue {
    switch (node.type) {
      case "literal":
        return node.value;
      case "duration":
        return node.milliseconds;
      case "path":
        return this.readPath(node);
      case "list":
        return node.items.map((item) => this.run(item));
      case "call": {
        const fn = findFunction(node.name);
        if (!fn) return null;
        return fn.call(
          node.args.map((arg) => this.run(arg)),
          this.environment,
        );
      }
      case "unary": {
        const operand = this.run(node.operand);
        if (node.operator === "not") return operand !== true;
        return typeof operand === "number" ? -operand : null;
      }
      case "binary":
        return this.binary(node);
    }
  }

  private readPath(node: PathNode): RuntimeValue {
    const [root, ...rest] = node.segments as [string, ...string[]];
    const direct = readProperty(this.context, root);
    if (direct !== null) return readPath(direct, rest);
    const alias = Object.prototype.hasOwnProperty.call(CONTACT_SHORTHANDS, root) ? CONTACT_SHORTHANDS[root] : undefined;
    return alias ? readPath(this.context, [...alias, ...rest]) : null;
  }

  private binary(node: BinaryNode): RuntimeValue {
    // and / or short-circuit, so they are handled before both sides are evaluated.
    if (node.operator === "and") return this.run(node.left) === true && this.run(node.right) === true;
    if (node.operator === "or") return this.run(node.left) === true || this.run(node.right) === true;
    const left = this.run(node.left);
    const right = this.run(node.right);
    switch (node.operator) {
      case "==":
        return valuesEqual(left, right);
      case "!=":
        return !valuesEqual(left, right);
      case "<":
      case "<=":
      case ">":
      case ">=": {
        const order = compareValues(left, right);
        if (order === null || Number.isNaN(order)) return false;
        if (node.operator === "<") return order < 0;
        if (node.operator === "<=") return order <= 0;
        if (node.operator === ">") return order > 0;
        return order >= 0;
      }
      case "in":
        return isMember(left, right);
      case "not in":
        return !isMember(left, right);
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
        return arithmetic(node.operator, left, right);
    }
  }
}

/** Arithmetic over numbers, string concatenation, and date ± duration (durations are milliseconds). */
function arithmetic(operator: "+" | "-" | "*" | "/" | "%", left: RuntimeValue, right: RuntimeValue): RuntimeValue {
  if (typeof left === "number" && typeof right === "number") {
    let result: number;
    switch (operator) {
      case "+":
        result = left + right;
        break;
      case "-":
        result = left - right;
        break;
      case "*":
        result = left * right;
        break;
      case "/":
        result = left / right;
        break;
      case "%":
        result = left % right;
        break;
    }
    return Number.isFinite(result) ? result : null;
  }
  if (operator === "+" && typeof left === "string" && typeof right === "string") {
    // Two ISO strings are still concatenated: only a Date or a number makes a date sum.
    return left + right;
  }
  const leftDate = left instanceof Date || typeof left === "string" ? toDate(left) : null;
  const rightDate = right instanceof Date || typeof right === "string" ? toDate(right) : null;
  if (operator === "+" && leftDate && typeof right === "number") return new Date(leftDate.getTime() + right);
  if (operator === "+" && rightDate && typeof left === "number") return new Date(rightDate.getTime() + left);
  if (operator === "-" && leftDate && typeof right === "number") return new Date(leftDate.getTime() - right);
  if (operator === "-" && leftDate && rightDate) return leftDate.getTime() - rightDate.getTime();
  return null;
}
