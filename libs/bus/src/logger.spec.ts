import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stderrBusLogger, type BusLogger } from "./logger.js";

describe("BusLogger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("accepts a pino logger as is", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const logger: BusLogger = pino({ level: "debug" }, sink);
    logger.warn({ topic: "things.v1", partition: 2 }, "handler failed");
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, topic: "things.v1", partition: 2, msg: "handler failed" });
  });

  it("stderr default writes warnings and errors as JSON lines and drops info and debug", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    stderrBusLogger.info({ a: 1 }, "quiet");
    stderrBusLogger.debug({ a: 1 }, "quiet");
    stderrBusLogger.error({ err: new Error("broker gone") }, "consumer crashed");
    expect(write).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(write.mock.calls[0]![0]))).toEqual({
      level: "error",
      name: "cascade-bus",
      msg: "consumer crashed",
      err: { name: "Error", message: "broker gone" },
    });
  });
});
