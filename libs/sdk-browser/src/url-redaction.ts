import { isSensitiveFieldName } from "./form-fields.js";

/** What a sensitive query parameter's value becomes in a recorded URL. */
export const REDACTED = "[redacted]";

/**
 * A URL or query string with the values of sensitive parameters replaced by REDACTED: parameters named like
 * a form's sensitive fields (passwords, card numbers, secrets, tokens) and any value that is a payment card
 * number (13 to 19 digits passing the Luhn check), whatever its parameter is called. A form submitted with method GET puts its
 * fields in the next page's URL; the SDK records page URLs and referrers, so without this a password typed
 * into such a form would reach events.v1. Everything else, parameter order included, is left as it was.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf("?");
  if (queryStart < 0) return url;
  const hashStart = url.indexOf("#", queryStart);
  const queryEnd = hashStart < 0 ? url.length : hashStart;
  const query = url.slice(queryStart + 1, queryEnd);
  const redacted = query
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      if (equals < 0) return pair;
      const sensitive =
        isSensitiveFieldName(decode(pair.slice(0, equals))) || looksLikeCardNumber(decode(pair.slice(equals + 1)));
      return sensitive ? `${pair.slice(0, equals + 1)}${REDACTED}` : pair;
    })
    .join("&");
  return `${url.slice(0, queryStart + 1)}${redacted}${url.slice(queryEnd)}`;
}

/** 13 to 19 digits (spaces and dashes allowed between them) with a valid Luhn check digit. */
export function looksLikeCardNumber(value: string): boolean {
  if (!/^[\d -]+$/.test(value)) return false;
  const digits = value.replace(/[ -]/g, "");
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, " "));
  } catch {
    return component;
  }
}
