/** Character range of a node in the expression source (offsets, end exclusive). */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

/** A position that people read: 0-based offset plus 1-based line and column. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export type LiteralValue = number | string | boolean | null;

export interface LiteralNode {
  readonly type: "literal";
  readonly value: LiteralValue;
  readonly span: SourceSpan;
}

/** `7d`, `2h30m`: a duration, held in milliseconds. */
export interface DurationNode {
  readonly type: "duration";
  readonly milliseconds: number;
  readonly text: string;
  readonly span: SourceSpan;
}

/** `contact.traits.industry`: a dotted property path. */
export interface PathNode {
  readonly type: "path";
  readonly segments: readonly string[];
  readonly span: SourceSpan;
}

export interface ListNode {
  readonly type: "list";
  readonly items: readonly ExpressionNode[];
  readonly span: SourceSpan;
}

export interface CallNode {
  readonly type: "call";
  readonly name: string;
  readonly args: readonly ExpressionNode[];
  readonly span: SourceSpan;
}

export type UnaryOperator = "not" | "-";

export interface UnaryNode {
  readonly type: "unary";
  readonly operator: UnaryOperator;
  readonly operand: ExpressionNode;
  readonly span: SourceSpan;
}

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";
export type ArithmeticOperator = "+" | "-" | "*" | "/" | "%";
export type LogicalOperator = "and" | "or";
export type MembershipOperator = "in" | "not in";
export type BinaryOperator = ComparisonOperator | ArithmeticOperator | LogicalOperator | MembershipOperator;

export interface BinaryNode {
  readonly type: "binary";
  readonly operator: BinaryOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
  readonly span: SourceSpan;
}

/** The parsed form of an expression. Plain JSON-serialisable data. */
export type ExpressionNode = LiteralNode | DurationNode | PathNode | ListNode | CallNode | UnaryNode | BinaryNode;

/** Turns an offset into a line/column position within `source`. */
export function positionAt(source: string, offset: number): SourcePosition {
  const clamped = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}
