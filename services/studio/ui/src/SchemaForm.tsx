import { useId, useState, type ReactNode } from "react";
import { ExpressionInput } from "./ExpressionInput.js";

/** The JSON Schema subset produced by z.toJSONSchema for node configs. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  widget?: string;
  description?: string;
}

type Value = Record<string, unknown>;
const LONG_TEXT = new Set(["body", "message", "html", "text", "content"]);

const humanize = (name: string): string =>
  name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .replace(/^./, (c) => c.toUpperCase());

/** Which variant of a `oneOf` of objects discriminated by a `const` property the value is. */
function discriminatorOf(variants: JsonSchema[]): string | undefined {
  const first = variants[0]?.properties ?? {};
  return Object.keys(first).find((key) => variants.every((variant) => variant.properties?.[key]?.const !== undefined));
}

/**
 * A form generated from a node kind's config JSON Schema: objects as field groups, discriminated unions as a
 * mode select, enums as selects, expressions with the live expression editor; anything else as JSON.
 * `errorsFor(path)` gives the validator's messages for a config path (e.g. `cases[0].when`).
 */
export function SchemaForm(props: {
  schema: JsonSchema;
  value: Value;
  onChange: (value: Value) => void;
  errorsFor: (path: string) => string[];
}) {
  return (
    <ObjectFields
      schema={props.schema}
      value={props.value}
      onChange={props.onChange}
      path=""
      errorsFor={props.errorsFor}
    />
  );
}

function ObjectFields(props: {
  schema: JsonSchema;
  value: Value;
  onChange: (value: Value) => void;
  path: string;
  errorsFor: (path: string) => string[];
}) {
  const { schema, value, onChange } = props;
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && variants.every((variant) => variant.type === "object")) {
    const discriminator = discriminatorOf(variants);
    if (discriminator) {
      const current = variants.find((variant) => variant.properties?.[discriminator]?.const === value[discriminator]);
      return (
        <>
          <SelectField
            label={humanize(discriminator)}
            value={String(value[discriminator] ?? "")}
            options={variants.map((variant) => String(variant.properties?.[discriminator]?.const))}
            required
            onChange={(mode) => onChange({ [discriminator]: mode })}
          />
          {current ? (
            <ObjectFields
              schema={{
                ...current,
                properties: Object.fromEntries(
                  Object.entries(current.properties ?? {}).filter(([key]) => key !== discriminator),
                ),
              }}
              value={value}
              onChange={onChange}
              path={props.path}
              errorsFor={props.errorsFor}
            />
          ) : null}
        </>
      );
    }
  }
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, field]) => {
        const path = props.path === "" ? name : `${props.path}.${name}`;
        const set = (next: unknown): void => {
          const copy = { ...value };
          if (next === undefined) delete copy[name];
          else copy[name] = next;
          onChange(copy);
        };
        return (
          <FieldFor
            key={name}
            name={name}
            schema={field}
            value={value[name]}
            required={required.has(name)}
            onChange={set}
            path={path}
            errorsFor={props.errorsFor}
          />
        );
      })}
    </>
  );
}

function FieldFor(props: {
  name: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  onChange: (value: unknown) => void;
  path: string;
  errorsFor: (path: string) => string[];
}) {
  const { name, schema, value, required, onChange } = props;
  const label = humanize(name);
  const errors = props.errorsFor(props.path);
  let control: ReactNode;
  if (schema.widget === "expression") {
    return (
      <ExpressionInput
        label={label}
        value={typeof value === "string" ? value : ""}
        required={required}
        onChange={(next) => onChange(next === "" ? undefined : next)}
        extraError={errors[0]}
      />
    );
  }
  if (schema.type === "string" && schema.enum) {
    control = (
      <SelectField
        label={label}
        value={typeof value === "string" ? value : ""}
        options={schema.enum.map(String)}
        required={required}
        onChange={(next) => onChange(next === "" ? undefined : next)}
      />
    );
  } else if (schema.type === "string") {
    control = (
      <TextField
        label={label}
        hint={schema.widget}
        long={LONG_TEXT.has(name)}
        value={typeof value === "string" ? value : ""}
        required={required}
        onChange={(next) => onChange(next === "" ? undefined : next)}
      />
    );
  } else if (schema.type === "number" || schema.type === "integer") {
    control = (
      <NumberField
        label={label}
        value={typeof value === "number" ? value : undefined}
        required={required}
        onChange={onChange}
      />
    );
  } else if (schema.type === "boolean") {
    control = (
      <CheckboxField label={label} value={value === true} onChange={(next) => onChange(next ? true : undefined)} />
    );
  } else if (schema.type === "array" && schema.items?.type === "string") {
    control = (
      <TextField
        label={label}
        hint="comma-separated"
        value={Array.isArray(value) ? value.join(", ") : ""}
        required={required}
        onChange={(next) => {
          const list = next
            .split(",")
            .map((item) => item.trim())
            .filter((item) => item !== "");
          onChange(list.length === 0 ? (required ? [] : undefined) : list);
        }}
      />
    );
  } else if (schema.type === "object" && schema.properties && !Array.isArray(value)) {
    const objectValue = typeof value === "object" && value !== null ? (value as Value) : {};
    control = (
      <fieldset className="nested">
        <legend>{label}</legend>
        <ObjectFields
          schema={schema}
          value={objectValue}
          path={props.path}
          errorsFor={props.errorsFor}
          onChange={(next) => onChange(Object.keys(next).length === 0 && !required ? undefined : next)}
        />
      </fieldset>
    );
  } else {
    control = <JsonField label={label} value={value} required={required} onChange={onChange} />;
  }
  return (
    <>
      {control}
      {errors.map((error) => (
        <div key={error} className="field-error" role="alert">
          {error}
        </div>
      ))}
    </>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  long?: boolean;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? " *" : ""} {props.hint ? <span className="hint">{props.hint}</span> : null}
      </label>
      {props.long ? (
        <textarea id={id} rows={4} value={props.value} onChange={(event) => props.onChange(event.target.value)} />
      ) : (
        <input id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)} />
      )}
    </div>
  );
}

function NumberField(props: {
  label: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? " *" : ""}
      </label>
      <input
        id={id}
        type="number"
        value={props.value ?? ""}
        onChange={(event) => props.onChange(event.target.value === "" ? undefined : Number(event.target.value))}
      />
    </div>
  );
}

function CheckboxField(props: { label: string; value: boolean; onChange: (value: boolean) => void }) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input id={id} type="checkbox" checked={props.value} onChange={(event) => props.onChange(event.target.checked)} />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}

function SelectField(props: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? " *" : ""}
      </label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">—</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

function JsonField(props: { label: string; value: unknown; onChange: (value: unknown) => void; required?: boolean }) {
  const id = useId();
  const [text, setText] = useState(() => (props.value === undefined ? "" : JSON.stringify(props.value, null, 2)));
  const [error, setError] = useState<string>();
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? " *" : ""} <span className="hint">JSON</span>
      </label>
      <textarea
        id={id}
        rows={4}
        className={error ? "invalid" : undefined}
        value={text}
        spellCheck={false}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value.trim() === "") {
            setError(undefined);
            props.onChange(undefined);
            return;
          }
          try {
            props.onChange(JSON.parse(event.target.value));
            setError(undefined);
          } catch (parseError) {
            setError((parseError as Error).message);
          }
        }}
      />
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
