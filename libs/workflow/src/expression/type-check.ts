import type { BinaryNode, CallNode, ExpressionNode, PathNode, SourceSpan } from "./ast.js";
import { positionAt } from "./ast.js";
import { describeAccepted, findFunction, functionNames } from "./functions.js";
import type { ExpressionError } from "./parse.js";
import type { ExpressionScope, FieldSpec } from "./scope.js";
import { closestName } from "./scope.js";
import type { ExprType } from "./types.js";
import { formatType, isAssignable, isListType, unifyTypes } from "./types.js";

export interface TypeCheckOptions {
  /** The source text, so errors carry the right line and column (single-line is assumed otherwise). */
  readonly source?: string;
  /** The type the whole expression must have, e.g. `boolean` for conditions. */
  readonly expect?: ExprType;
}

export interface TypeCheckResult {
  readonly ok: boolean;
  /** The inferred type; `any` where it could not be known. */
  readonly type: ExprType;
  readonly errors: readonly ExpressionError[];
}

/** Checks field names, function calls and operand types; reports every problem found. */
export function typeCheck(
  ast: ExpressionNode,
  scope: ExpressionScope,
  options: TypeCheckOptions = {},
): TypeCheckResult {
  const errors: ExpressionError[] = [];
  const report: Report = (span, message, hint) => {
    const position =
      options.source === undefined
        ? { offset: span.start, line: 1, column: span.start + 1 }
        : positionAt(options.source, span.start);
    errors.push({
      message: `${message} at ${position.line}:${position.column}${hint ? `; ${hint}` : ""}`,
      ...position,
    });
  };
  const checker = new TypeChecker(scope, report);
  const type = checker.check(ast);
  if (options.expect !== undefined && !isAssignable(type, options.expect)) {
    report(ast.span, `expression must be ${formatType(options.expect)}, but it is ${formatType(type)}`);
  }
  return { ok: errors.length === 0, type, errors };
}

/** Records a problem; the position goes after `message`, then the optional `hint` ("did you mean ..."). */
type Report = (span: SourceSpan, message: string, hint?: string) => void;

const ORDERABLE: readonly ExprType[] = ["number", "string", "date", "duration"];

function isLoose(type: ExprType): boolean {
  return type === "any" || type === "null";
}

class TypeChecker {
  constructor(
    private readonly scope: ExpressionScope,
    private readonly report: Report,
  ) {}

  check(node: ExpressionNode): ExprType {
    switch (node.type) {
      case "literal":
        if (node.value === null) return "null";
        return typeof node.value === "number" ? "number" : typeof node.value === "string" ? "string" : "boolean";
      case "duration":
        return "duration";
      case "path":
        return this.checkPath(node);
      case "list":
        return { list: unifyTypes(node.items.map((item) => this.check(item))) };
      case "call":
        return this.checkCall(node);
      case "unary": {
        const operand = this.check(node.operand);
        if (node.operator === "not") {
          this.expectBoolean(operand, node.operand.span, "'not'");
          return "boolean";
        }
        if (isLoose(operand)) return "any";
        if (operand !== "number" && operand !== "duration") {
          this.report(node.span, `cannot negate a ${formatType(operand)}`);
          return "any";
        }
        return operand;
      }
      case "binary":
        return this.checkBinary(node);
    }
  }

  private checkPath(node: PathNode): ExprType {
    const [root, ...rest] = node.segments as [string, ...string[]];
    const rootSpec = ownField(this.scope.fields, root);
    if (!rootSpec) {
      const suggestion = closestName(root, Object.keys(this.scope.fields));
      this.report(
        node.span,
        `unknown field '${node.segments.join(".")}'`,
        suggestion ? `did you mean ${suggestion}?` : undefined,
      );
      return "any";
    }
    let spec: FieldSpec = rootSpec;
    let walked = root;
    for (const segment of rest) {
      const child: FieldSpec | undefined = spec.fields ? ownField(spec.fields, segment) : undefined;
      if (child) {
        spec = child;
      } else if (spec.open !== undefined) {
        // Below an open-ended object, children of `any` may nest freely; typed leaves may not.
        spec = spec.open === "any" ? { open: "any" } : { type: spec.open };
      } else {
        const known = Object.keys(spec.fields ?? {});
        if (known.length === 0) {
          this.report(
            node.span,
            `unknown field '${node.segments.join(".")}': ${walked} is a ${formatType(spec.type ?? "any")} and has no fields`,
          );
        } else {
          const suggestion = closestName(segment, known);
          const hint = suggestion
            ? `did you mean ${walked}.${suggestion}?`
            : `known fields of ${walked}: ${known.join(", ")}`;
          this.report(node.span, `unknown field '${node.segments.join(".")}'`, hint);
        }
        return "any";
      }
      walked += `.${segment}`;
    }
    if (spec.type !== undefined) return spec.type;
    return "any";
  }

  private checkCall(node: CallNode): ExprType {
    const argumentTypes = node.args.map((arg) => this.check(arg));
    const fn = findFunction(node.name);
    if (!fn) {
      const suggestion = closestName(node.name, functionNames());
      this.report(
        node.span,
        `unknown function '${node.name}'`,
        suggestion ? `did you mean ${suggestion}()?` : undefined,
      );
      return "any";
    }
    const required = fn.required ?? fn.params.length;
    const tooFew = node.args.length < required;
    const tooMany = !fn.variadic && node.args.length > fn.params.length;
    if (tooFew || tooMany) {
      const expected = fn.variadic
        ? `at least ${required}`
        : required === fn.params.length
          ? `${required}`
          : `${required} to ${fn.params.length}`;
      this.report(
        node.span,
        `${node.name}() takes ${expected} argument${expected === "1" ? "" : "s"}, got ${node.args.length}`,
      );
      return fn.returns(argumentTypes);
    }
    node.args.forEach((arg, index) => {
      const parameter = fn.params[Math.min(index, fn.params.length - 1)];
      const actual = argumentTypes[index] as ExprType;
      if (parameter && !parameter.accepts.some((accepted) => isAssignable(actual, accepted))) {
        this.report(
          arg.span,
          `${node.name}() argument '${parameter.name}' must be ${describeAccepted(parameter)}, got ${formatType(actual)}`,
        );
      }
    });
    return fn.returns(argumentTypes);
  }

  private checkBinary(node: BinaryNode): ExprType {
    const left = this.check(node.left);
    const right = this.check(node.right);
    const operator = node.operator;
    switch (operator) {
      case "and":
      case "or":
        this.expectBoolean(left, node.left.span, `'${operator}'`);
        this.expectBoolean(right, node.right.span, `'${operator}'`);
        return "boolean";
      case "==":
      case "!=":
        if (!isLoose(left) && !isLoose(right) && !isAssignable(left, right) && !isAssignable(right, left)) {
          this.report(node.span, `cannot compare ${formatType(left)} with ${formatType(right)} using '${operator}'`);
        }
        return "boolean";
      case "<":
      case "<=":
      case ">":
      case ">=":
        for (const [type, span] of [
          [left, node.left.span],
          [right, node.right.span],
        ] as const) {
          if (!isLoose(type) && !ORDERABLE.includes(type)) {
            this.report(span, `'${operator}' needs numbers, strings, dates or durations, got ${formatType(type)}`);
          }
        }
        if (!isLoose(left) && !isLoose(right) && !isAssignable(left, right) && !isAssignable(right, left)) {
          this.report(node.span, `cannot compare ${formatType(left)} with ${formatType(right)} using '${operator}'`);
        }
        return "boolean";
      case "in":
      case "not in":
        if (isListType(right)) {
          if (!isLoose(left) && !isLoose(right.list) && !isAssignable(left, right.list)) {
            this.report(node.span, `'${operator}' looks for a ${formatType(left)} in a ${formatType(right)}`);
          }
        } else if (right === "string") {
          if (!isLoose(left) && left !== "string")
            this.report(node.span, `'${operator}' on a string needs a string on the left, got ${formatType(left)}`);
        } else if (!isLoose(right)) {
          this.report(node.right.span, `'${operator}' needs a list or a string on the right, got ${formatType(right)}`);
        }
        return "boolean";
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
        return this.checkArithmetic(node, left, right);
    }
  }

  private checkArithmetic(node: BinaryNode, left: ExprType, right: ExprType): ExprType {
    if (isLoose(left) || isLoose(right)) return "any";
    const result = arithmeticResult(node.operator, left, right);
    if (result === undefined) {
      this.report(node.span, `cannot apply '${node.operator}' to ${formatType(left)} and ${formatType(right)}`);
      return "any";
    }
    return result;
  }

  private expectBoolean(type: ExprType, span: SourceSpan, what: string): void {
    if (!isLoose(type) && type !== "boolean") this.report(span, `${what} needs a boolean, got ${formatType(type)}`);
  }
}

/** Result type of an arithmetic operator, or undefined when the combination is not allowed. */
function arithmeticResult(operator: BinaryNode["operator"], left: ExprType, right: ExprType): ExprType | undefined {
  const key = `${formatType(left)} ${operator} ${formatType(right)}`;
  return ARITHMETIC_RULES[key];
}

const ARITHMETIC_RULES: Readonly<Record<string, ExprType>> = {
  "number + number": "number",
  "number - number": "number",
  "number * number": "number",
  "number / number": "number",
  "number % number": "number",
  "string + string": "string",
  "date + duration": "date",
  "duration + date": "date",
  "date - duration": "date",
  "date - date": "duration",
  "duration + duration": "duration",
  "duration - duration": "duration",
  "duration * number": "duration",
  "number * duration": "duration",
  "duration / number": "duration",
  "duration / duration": "number",
};

function ownField(fields: Readonly<Record<string, FieldSpec>>, name: string): FieldSpec | undefined {
  return Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
}
