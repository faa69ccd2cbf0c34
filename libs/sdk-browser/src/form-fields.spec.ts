import { describe, expect, it } from "vitest";
import {
  collectFormFields,
  isSendableControl,
  MAX_FIELD_LENGTH,
  parseAllowList,
  type FormControl,
} from "./form-fields.js";

const text = (name: string, value: string, extra: Partial<FormControl> = {}): FormControl => ({
  name,
  type: "text",
  value,
  ...extra,
});

describe("form fields", () => {
  it("sends only allow-listed fields", () => {
    const fields = collectFormFields(
      [text("email", "ada@example.com"), text("company", "Analytical"), text("notes", "private")],
      ["email", "company"],
    );
    expect(fields).toEqual({ email: "ada@example.com", company: "Analytical" });
  });

  it("never sends passwords or card fields, even when allow-listed", () => {
    const controls: FormControl[] = [
      { name: "password", type: "password", value: "hunter2" },
      { name: "pin", type: "password", value: "1234" },
      text("number", "4111111111111111", { autocomplete: "cc-number" }),
      text("exp", "12/29", { autocomplete: "billing cc-exp" }),
      text("card_number", "4111111111111111"),
      text("cvv", "123"),
      text("card-cvc", "123"),
      text("new_pass", "x", { autocomplete: "new-password" }),
      text("email", "ada@example.com"),
    ];
    const fields = collectFormFields(
      controls,
      controls.map((control) => control.name),
    );
    expect(fields).toEqual({ email: "ada@example.com" });
  });

  it("keeps ordinary names that merely contain similar letters", () => {
    expect(isSendableControl(text("passenger_count", "2"))).toBe(true);
    expect(isSendableControl(text("discount_code", "SPRING"))).toBe(true);
  });

  it("skips unchecked boxes, gathers checkbox groups and multiple selects, cuts long values", () => {
    const controls: FormControl[] = [
      { name: "topics", type: "checkbox", value: "news", checked: true },
      { name: "topics", type: "checkbox", value: "offers", checked: false },
      { name: "topics", type: "checkbox", value: "events", checked: true },
      { name: "size", type: "radio", value: "s", checked: false },
      { name: "size", type: "radio", value: "m", checked: true },
      { name: "langs", type: "select-multiple", value: "en", selectedValues: ["en", "fr"] },
      text("bio", "x".repeat(MAX_FIELD_LENGTH + 50)),
    ];
    const fields = collectFormFields(controls, parseAllowList(" topics, size ,langs,bio,"));
    expect(fields).toEqual({
      topics: ["news", "events"],
      size: "m",
      langs: ["en", "fr"],
      bio: "x".repeat(MAX_FIELD_LENGTH),
    });
  });

  it("sends nothing without an allow-list", () => {
    expect(collectFormFields([text("email", "a@b.c")], parseAllowList(null))).toEqual({});
  });
});
