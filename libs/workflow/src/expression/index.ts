export type {
  BinaryNode,
  BinaryOperator,
  CallNode,
  DurationNode,
  ExpressionNode,
  ListNode,
  LiteralNode,
  PathNode,
  SourcePosition,
  SourceSpan,
  UnaryNode,
} from "./ast.js";
export { positionAt } from "./ast.js";
export type { CheckedExpression, CheckExpressionOptions } from "./check.js";
export { checkExpression } from "./check.js";
export type { EvaluateOptions, EvaluationContext } from "./evaluate.js";
export { evaluate, evaluateCondition } from "./evaluate.js";
export type { ExpressionFunction, FunctionParameter } from "./functions.js";
export { EXPRESSION_FUNCTIONS, functionNames } from "./functions.js";
export { globMatches } from "./glob.js";
export { EXPRESSION_GRAMMAR_SOURCE } from "./grammar.js";
export type { ExpressionError, ParseResult } from "./parse.js";
export { MAX_EXPRESSION_LENGTH, parseExpression } from "./parse.js";
export type { ExpressionScope, FieldSpec } from "./scope.js";
export { CONTACT_SHORTHANDS, defaultScope } from "./scope.js";
export type { TypeCheckOptions, TypeCheckResult } from "./type-check.js";
export { typeCheck } from "./type-check.js";
export type { ExprType, ListType, ScalarType } from "./types.js";
export { formatType } from "./types.js";
export type { RuntimeValue } from "./values.js";
