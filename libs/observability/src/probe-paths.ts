/**
 * Health probes and Prometheus scrapes arrive every few seconds; they are not logged at info and
 * get no trace spans, so they do not drown real traffic.
 */
export function isProbePath(url: string | undefined): boolean {
  if (url === undefined) return false;
  const path = url.split("?", 1)[0] ?? "";
  return path === "/metrics" || path === "/health" || path.startsWith("/health/");
}
