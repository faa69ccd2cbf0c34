import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

export type PhoneNumberResult = { ok: true; e164: string; country: string | undefined } | { ok: false; reason: string };

/**
 * Normalises a recipient number to E.164 with libphonenumber-js. A number written without "+" is read in
 * the contact's country (ISO 3166-1 alpha-2, e.g. "GB"); an international "+..." number needs none.
 */
export function normalisePhoneNumber(input: string, defaultCountry?: string): PhoneNumberResult {
  const raw = input.trim();
  if (raw === "") return { ok: false, reason: "to: the phone number is empty" };
  const country = defaultCountry?.trim().toUpperCase() || undefined;
  if (country !== undefined && !/^[A-Z]{2}$/.test(country))
    return { ok: false, reason: `country: "${defaultCountry}" is not an ISO 3166-1 alpha-2 code` };
  const parsed = parsePhoneNumberFromString(raw, country as CountryCode | undefined);
  if (!parsed) {
    return {
      ok: false,
      reason:
        raw.startsWith("+") || country
          ? `to: "${raw}" is not a phone number`
          : `to: "${raw}" has no country code and the contact has no country`,
    };
  }
  if (!parsed.isValid())
    return { ok: false, reason: `to: "${raw}" is not a valid number${parsed.country ? ` for ${parsed.country}` : ""}` };
  return { ok: true, e164: parsed.number, country: parsed.country };
}
