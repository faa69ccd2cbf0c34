import { booleanFlag, durationMs } from "@cascade/config";
import { z } from "zod";

/**
 * studio's own variables.
 * - STUDIO_LOCAL_LOGIN (default true): `GET /api/session/local` hands the default workspace's admin key to
 *   requests from the loopback address (127.0.0.1 / ::1) that carry no proxy headers, so a newcomer opening
 *   http://localhost:3000 is signed in without copying the key from the logs. Anyone who can open a
 *   connection from this machine gets the key: set it to false on shared hosts and behind a local reverse
 *   proxy that does not add X-Forwarded-For.
 * - STUDIO_UI_DIR: where the built builder UI lives (default `dist/studio-ui`, from the working directory).
 * - STUDIO_STATS_POLL: how often an open statistics stream re-reads the counters when no local change was
 *   signalled (other replicas' updates), e.g. 1s.
 */
export const studioConfigSchema = z.object({
  STUDIO_LOCAL_LOGIN: booleanFlag().default(true),
  STUDIO_UI_DIR: z.string().min(1).default("dist/studio-ui"),
  STUDIO_STATS_POLL: durationMs().default(1_000),
});

export type StudioConfig = z.output<typeof studioConfigSchema>;

/** Injection token of the parsed StudioConfig. */
export const STUDIO_CONFIG = Symbol.for("cascade.studio.config");
