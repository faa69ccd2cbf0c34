import type * as ohm from "ohm-js";
import { parseDuration } from "../duration.js";
import type { ArithmeticOperator, ComparisonOperator, ExpressionNode, SourcePosition, SourceSpan } from "./ast.js";
import { positionAt } from "./ast.js";
import { expressionGrammar } from "./grammar.js";

/** A problem found while parsing or type-checking an expression, with where it is. */
export interface ExpressionError extends SourcePosition {
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly ast: ExpressionNode }
  | { readonly ok: false; readonly errors: readonly ExpressionError[] };

/** Longest source accepted; guards the parser against pathological input from the builder or the API. */
export const MAX_EXPRESSION_LENGTH = 4096;

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'" };

function spanOf(node: ohm.Node): SourceSpan {
  return { start: node.source.startIdx, end: node.source.endIdx };
}

function unescape(body: string): string {
  let text = "";
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    if (char === "\\" && i + 1 < body.length) {
      const next = body[i + 1] as string;
      text += ESCAPES[next] ?? next;
      i++;
    } else {
      text += char;
    }
  }
  return text;
}

const semantics = expressionGrammar.createSemantics().addOperation<ExpressionNode>("ast", {
  OrExpr_or(left, _op, right) {
    return { type: "binary", operator: "or", left: left.ast(), right: right.ast(), span: spanOf(this) };
  },
  AndExpr_and(left, _op, right) {
    return { type: "binary", operator: "and", left: left.ast(), right: right.ast(), span: spanOf(this) };
  },
  NotExpr_not(_op, operand) {
    return { type: "unary", operator: "not", operand: operand.ast(), span: spanOf(this) };
  },
  CompareExpr_compare(left, op, right) {
    const operator = op.sourceString as ComparisonOperator;
    return { type: "binary", operator, left: left.ast(), right: right.ast(), span: spanOf(this) };
  },
  CompareExpr_notIn(left, _not, _in, right) {
    return { type: "binary", operator: "not in", left: left.ast(), right: right.ast(), span: spanOf(this) };
  },
  CompareExpr_in(left, _in, right) {
    return { type: "binary", operator: "in", left: left.ast(), right: right.ast(), span: spanOf(this) };
  },
  AddExpr_binary(left, op, right) {
    const operator = op.sourceString as ArithmeticOperator;
    return { type: "binary", operator, left: left.ast(), right: right.ast(), span: spanOf(this) };
  },
  MulExpr_binary(left, op, right) {
    const operator = op.sourceString as ArithmeticOperator;
    return { type: "binary", operator, left: left.ast(), right: right.ast(), span: spanOf(this) };
  },
  UnaryExpr_negate(_minus, operand) {
    return { type: "unary", operator: "-", operand: operand.ast(), span: spanOf(this) };
  },
  PrimaryExpr_paren(_open, inner, _close) {
    return inner.ast();
  },
  PrimaryExpr_list(_open, items, _close) {
    const nodes = items.asIteration().children.map((child) => child.ast());
    return { type: "list", items: nodes, span: spanOf(this) };
  },
  PrimaryExpr_call(name, _open, args, _close) {
    const nodes = args.asIteration().children.map((child) => child.ast());
    return { type: "call", name: name.sourceString, args: nodes, span: spanOf(this) };
  },
  path(_first, _dots, _rest) {
    return { type: "path", segments: this.sourceString.split("."), span: spanOf(this) };
  },
  duration(_parts) {
    const parsed = parseDuration(this.sourceString);
    // The grammar only admits well-formed durations, so parsing cannot fail here.
    const milliseconds = parsed.ok ? parsed.milliseconds : 0;
    return { type: "duration", milliseconds, text: this.sourceString, span: spanOf(this) };
  },
  number(_int, _dot, _frac) {
    return { type: "literal", value: Number(this.sourceString), span: spanOf(this) };
  },
  string_double(_open, _chars, _close) {
    return { type: "literal", value: unescape(this.sourceString.slice(1, -1)), span: spanOf(this) };
  },
  string_single(_open, _chars, _close) {
    return { type: "literal", value: unescape(this.sourceString.slice(1, -1)), span: spanOf(this) };
  },
  kwTrue(_word) {
    return { type: "literal", value: true, span: spanOf(this) };
  },
  kwFalse(_word) {
    return { type: "literal", value: false, span: spanOf(this) };
  },
  kwNull(_word) {
    return { type: "literal", value: null, span: spanOf(this) };
  },
});

function describeCharacterAt(source: string, offset: number): string {
  if (offset >= source.length) return "end of input";
  const char = source[offset] as string;
  if (char === "\n") return "line break";
  return `'${char}'`;
}

/**
 * Parses an expression into an AST. Never throws: syntax problems come back as errors with the
 * offset, line and column of the first character the parser could not accept.
 */
export function parseExpression(source: string): ParseResult {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return {
      ok: false,
      errors: [{ message: `expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, ...positionAt(source, 0) }],
    };
  }
  if (source.trim() === "") {
    return { ok: false, errors: [{ message: "expression is empty", ...positionAt(source, 0) }] };
  }
  const match = expressionGrammar.match(source);
  if (match.failed()) {
    const offset = match.getRightmostFailurePosition();
    const position = positionAt(source, offset);
    const message =
      `unexpected ${describeCharacterAt(source, offset)} at ${position.line}:${position.column}` +
      `; expected ${match.getExpectedText()}`;
    return { ok: false, errors: [{ message, ...position }] };
  }
  return { ok: true, ast: semantics(match).ast() };
}
