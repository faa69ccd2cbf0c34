/**
 * A server for bench/ingest-http.ts, run in a child process so the load generator does not share its event loop:
 *   ingest  → the ingest service on the real broker and PostgreSQL (rate limit lifted)
 *   hello   → a bare Fastify server answering POST /v1/track with { success: true } (the baseline)
 * Sends `{ url, writeKey }` to the parent over IPC, and stops on "stop".
 */
import { FastifyAdapter } from "@nestjs/platform-fastify";
import { ingestService } from "@cascade/services/ingest";
import { startTestPlatform } from "@cascade/testing";

interface Started {
  url: string;
  writeKey: string;
  close: () => Promise<void>;
}

async function startIngest(): Promise<Started> {
  const platform = await startTestPlatform({
    services: [ingestService],
    env: { INGEST_RATE_LIMIT_PER_SECOND: "100000000", LOG_LEVEL: "error" },
  });
  return { url: platform.url, writeKey: platform.workspace.writeKey, close: () => platform.close() };
}

async function startHello(): Promise<Started> {
  const fastify = new FastifyAdapter({ bodyLimit: 1024 * 1024 }).getInstance();
  fastify.post("/v1/track", async () => ({ success: true }));
  const address = await fastify.listen({ port: 0, host: "127.0.0.1" });
  return { url: address, writeKey: "none", close: () => fastify.close() };
}

const mode = process.argv[2];
const started = mode === "ingest" ? await startIngest() : mode === "hello" ? await startHello() : undefined;
if (!started) throw new Error(`usage: _ingest-server ingest|hello, got ${mode}`);
process.send?.({ url: started.url, writeKey: started.writeKey });
process.on("message", (message) => {
  if (message === "stop") void started.close().then(() => process.exit(0));
});
