/**
 * The notification's link with `<parameter>=<push idempotency key>` added, so that the page it opens knows
 * which push brought the visitor (the SDK's push module keeps it for conversion attribution). Left unchanged
 * when the parameter is disabled (empty) or the URL is not absolute http(s).
 */
export function withLandingParameter(url: string, parameter: string, idempotencyKey: string): string {
  if (!parameter) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return url;
  parsed.searchParams.set(parameter, idempotencyKey);
  return parsed.toString();
}
