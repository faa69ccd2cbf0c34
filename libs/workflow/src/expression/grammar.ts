import * as ohm from "ohm-js";

/**
 * The expression grammar (Ohm). Capitalised rules skip whitespace between their parts; lower-case
 * rules are lexical. Precedence, loosest first: or, and, not, comparison / in, + -, * / %, unary minus.
 */
export const EXPRESSION_GRAMMAR_SOURCE = String.raw`
CascadeExpression {
  Expression = OrExpr

  OrExpr
    = OrExpr kwOr AndExpr  -- or
    | AndExpr

  AndExpr
    = AndExpr kwAnd NotExpr  -- and
    | NotExpr

  NotExpr
    = kwNot NotExpr  -- not
    | CompareExpr

  CompareExpr
    = AddExpr compareOp AddExpr  -- compare
    | AddExpr kwNot kwIn AddExpr  -- notIn
    | AddExpr kwIn AddExpr  -- in
    | AddExpr

  AddExpr
    = AddExpr addOp MulExpr  -- binary
    | MulExpr

  MulExpr
    = MulExpr mulOp UnaryExpr  -- binary
    | UnaryExpr

  UnaryExpr
    = "-" UnaryExpr  -- negate
    | PrimaryExpr

  PrimaryExpr
    = "(" Expression ")"  -- paren
    | "[" ListOf<Expression, ","> "]"  -- list
    | identifier "(" ListOf<Expression, ","> ")"  -- call
    | literal
    | path

  compareOp = "==" | "!=" | "<=" | ">=" | "<" | ">"
  addOp = "+" | "-"
  mulOp = "*" | "/" | "%"

  literal = duration | number | string | kwTrue | kwFalse | kwNull

  path = identifier ("." identifier)*
  identifier = ~keyword identStart identPart*
  identStart = letter | "_"
  identPart (a letter, digit or '_') = alnum | "_"

  keyword = kwAnd | kwOr | kwNot | kwIn | kwTrue | kwFalse | kwNull
  kwAnd = "and" ~identPart
  kwOr = "or" ~identPart
  kwNot = "not" ~identPart
  kwIn = "in" ~identPart
  kwTrue = "true" ~identPart
  kwFalse = "false" ~identPart
  kwNull = "null" ~identPart

  duration = durationPart+ ~identPart
  durationPart = digit+ durationUnit
  durationUnit = "ms" | "w" | "d" | "h" | "m" | "s"

  number = digit+ ("." digit+)? ~identPart

  string = "\"" doubleQuotedChar* "\""  -- double
         | "'" singleQuotedChar* "'"  -- single
  doubleQuotedChar = escape | ~("\"" | "\\" | "\n") any
  singleQuotedChar = escape | ~("'" | "\\" | "\n") any
  escape = "\\" any
}
`;

export const expressionGrammar: ohm.Grammar = ohm.grammar(EXPRESSION_GRAMMAR_SOURCE);
