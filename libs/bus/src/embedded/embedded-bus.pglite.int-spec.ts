import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { DataSource } from "typeorm";
import { describeBusContract } from "../bus.contract.js";
import { silentBusLogger } from "../logger.js";
import { EmbeddedBus } from "./embedded-bus.js";

/**
 * The embedded bus as `npm start` runs it: an in-memory PGlite served over the PostgreSQL wire
 * protocol (one connection) and reached through the same pg driver.
 */
describeBusContract("embedded (PGlite)", async () => {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 });
  await server.start();
  const dataSource = await new DataSource({
    type: "postgres",
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    extra: { max: 1 },
  }).initialize();
  const bus = new EmbeddedBus({ dataSource, pollIntervalMs: 100, logger: silentBusLogger });
  await bus.init();
  return {
    bus,
    partitionCount: (topicName) => bus.partitionCount(topicName),
    cleanup: async () => {
      await bus.close();
      await dataSource.destroy();
      await server.stop();
      await db.close();
    },
  };
});
