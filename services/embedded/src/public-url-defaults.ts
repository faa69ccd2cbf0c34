import { ConfigError } from "@cascade/config";

/**
 * Variables of the services that put the platform's own URL into messages (tracking links, unsubscribe, push
 * clicks). Not INGEST_PUBLIC_URL: ingest checks Twilio signatures against it, and unset it uses the Host header
 * the provider called, which is right behind a tunnel.
 */
export const PUBLIC_URL_VARIABLES = ["EMAIL_TRACKING_BASE_URL", "EMAIL_PUBLIC_BASE_URL", "PUSH_PUBLIC_URL"] as const;

/**
 * In embedded mode every service answers on one port, so each service's public URL is the platform's:
 * CASCADE_PUBLIC_URL, or http://localhost:<PORT>. A variable that is set is kept. Without this, a newcomer's
 * mail would go out with no open pixel, no tracked links and no List-Unsubscribe header.
 */
export function withPublicUrlDefaults(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const base = (env.CASCADE_PUBLIC_URL?.trim() || `http://localhost:${env.PORT?.trim() || "3000"}`).replace(/\/+$/, "");
  if (!isHttpUrl(base))
    throw new ConfigError([
      {
        variable: "CASCADE_PUBLIC_URL",
        reason: `expected an http(s) URL such as https://cascade.example.com, got "${base}"`,
      },
    ]);
  const defaults: Record<string, string> = {};
  for (const name of PUBLIC_URL_VARIABLES) if (!env[name]?.trim()) defaults[name] = base;
  return defaults;
}

/**
 * The seed templates notify the `sales` and `success` teams. In embedded mode, with no ORCHESTRATOR_TEAMS set,
 * they are local addresses, so those notifications land in the built-in outbox the studio shows instead of
 * failing the run with NO_RECIPIENTS.
 */
export function withTeamDefaults(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  if (env.ORCHESTRATOR_TEAMS?.trim()) return {};
  return { ORCHESTRATOR_TEAMS: JSON.stringify({ sales: ["sales@cascade.local"], success: ["success@cascade.local"] }) };
}

function isHttpUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
