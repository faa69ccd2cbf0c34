/** The parts of a form control the SDK looks at (an HTMLInputElement, HTMLSelectElement or HTMLTextAreaElement). */
export interface FormControl {
  name: string;
  type: string;
  value: string;
  autocomplete?: string;
  checked?: boolean;
  /** Selected option values of a multiple select. */
  selectedValues?: string[];
}

/** Longest value sent for one field. */
export const MAX_FIELD_LENGTH = 500;

const CARD_AUTOCOMPLETE = /(^|\s)cc-/i;
const SENSITIVE_NAME =
  /pass(word|wd|code|phrase)|^pass$|pwd|secret|token|card.?(num|number|no)|cc.?(num|number|no|cvc|cvv|csc|exp)|(^|[^a-z])(cvc|cvv2?|csc|ccv)([^a-z]|$)|security.?code|iban|ssn|social.?security/i;

/**
 * Whether a control may ever be sent, whatever the allow-list says: never passwords, never payment card
 * fields (autocomplete="cc-*" or a card-like name), never file inputs.
 */
export function isSendableControl(control: FormControl): boolean {
  const type = control.type.toLowerCase();
  if (type === "password" || type === "file") return false;
  if (control.autocomplete && CARD_AUTOCOMPLETE.test(control.autocomplete)) return false;
  if (control.autocomplete && /(^|\s)(current|new)-password/i.test(control.autocomplete)) return false;
  return !isSensitiveFieldName(control.name);
}

/** Whether a field or query parameter name says it holds a password, card number, secret or token. */
export function isSensitiveFieldName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/**
 * The values of the allow-listed, sendable controls of a submitted form: unchecked boxes and radios are
 * skipped, a checkbox group or multiple select gives an array, long values are cut to MAX_FIELD_LENGTH.
 */
export function collectFormFields(
  controls: Iterable<FormControl>,
  allowList: readonly string[],
): Record<string, string | string[]> {
  const allowed = new Set(allowList.map((name) => name.trim()).filter(Boolean));
  const fields: Record<string, string | string[]> = {};
  for (const control of controls) {
    if (!control.name || !allowed.has(control.name) || !isSendableControl(control)) continue;
    const type = control.type.toLowerCase();
    if ((type === "checkbox" || type === "radio") && !control.checked) continue;
    const values = control.selectedValues ?? [control.value];
    for (const value of values) {
      const cut = value.slice(0, MAX_FIELD_LENGTH);
      const existing = fields[control.name];
      if (existing === undefined) fields[control.name] = control.selectedValues || type === "checkbox" ? [cut] : cut;
      else fields[control.name] = Array.isArray(existing) ? [...existing, cut] : [existing, cut];
    }
  }
  return fields;
}

/** Parses a `data-cascade-fields="email, company"` attribute. */
export function parseAllowList(attribute: string | null): string[] {
  return (attribute ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}
