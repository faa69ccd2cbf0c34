import type { ExpressionNode } from "./ast.js";
import type { ExpressionError } from "./parse.js";
import { parseExpression } from "./parse.js";
import type { ExpressionScope } from "./scope.js";
import { defaultScope } from "./scope.js";
import { typeCheck } from "./type-check.js";
import type { ExprType } from "./types.js";

export type CheckedExpression =
  | { readonly ok: true; readonly ast: ExpressionNode; readonly type: ExprType; readonly errors: readonly [] }
  | { readonly ok: false; readonly ast?: ExpressionNode; readonly errors: readonly ExpressionError[] };

export interface CheckExpressionOptions {
  /** Known fields; defaults to {@link defaultScope}. */
  readonly scope?: ExpressionScope;
  /** Required result type, e.g. `boolean` for conditions. */
  readonly expect?: ExprType;
}

/** Parses and type-checks in one step: what the validator and the builder call for each expression field. */
export function checkExpression(source: string, options: CheckExpressionOptions = {}): CheckedExpression {
  const parsed = parseExpression(source);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const typed = typeCheck(parsed.ast, options.scope ?? defaultScope(), { source, expect: options.expect });
  if (!typed.ok) return { ok: false, ast: parsed.ast, errors: typed.errors };
  return { ok: true, ast: parsed.ast, type: typed.type, errors: [] };
}
