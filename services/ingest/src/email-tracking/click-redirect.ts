/**
 * The URL a click redirects to: the link Cascade signed, with its own parameters (UTM included) untouched, and
 * the campaign's UTM parameters added only where the link has none of its own. Only http(s) links (the token
 * check already guarantees that, this re-checks), so the redirect is never an open redirect nor a javascript: URL.
 */
export function redirectTarget(link: string, campaignUtm: Record<string, string> | undefined): string {
  const url = new URL(link);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`refusing to redirect to a ${url.protocol} URL`);
  for (const [name, value] of Object.entries(campaignUtm ?? {})) {
    const parameter = name.startsWith("utm_") ? name : `utm_${name}`;
    if (!/^utm_[a-z_]+$/.test(parameter) || typeof value !== "string") continue;
    if (!url.searchParams.has(parameter)) url.searchParams.set(parameter, value);
  }
  return url.toString();
}
