import { checkExpression } from "@cascade/workflow";
import { useId } from "react";

/**
 * A text field for an expression of the Cascade expression language, checked as you type: an error shows
 * its message and a caret under the offending character.
 */
export function ExpressionInput(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  extraError?: string;
}) {
  const id = useId();
  const checked = props.value.trim() === "" ? undefined : checkExpression(props.value);
  const error = checked && !checked.ok ? checked.errors[0] : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? " *" : ""} <span className="hint">expression</span>
      </label>
      <input
        id={id}
        className={`expression${error || props.extraError ? " invalid" : ""}`}
        value={props.value}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        placeholder="e.g. score >= 50"
        onChange={(event) => props.onChange(event.target.value)}
      />
      {error ? (
        <div id={`${id}-error`} className="expression-error" role="alert" data-testid="expression-error">
          <pre aria-hidden="true">
            {props.value.split("\n")[error.line - 1] ?? props.value}
            {"\n"}
            {" ".repeat(Math.max(0, error.column - 1))}^
          </pre>
          <span>
            {error.message} (line {error.line}, column {error.column})
          </span>
        </div>
      ) : props.extraError ? (
        <div className="expression-error" role="alert">
          <span>{props.extraError}</span>
        </div>
      ) : null}
    </div>
  );
}
