import { logLevel, type logCreator } from "kafkajs";
import type { BusLogger } from "../logger.js";

/** Routes kafkajs' own log lines to a BusLogger, keeping kafkajs' namespace and fields. */
export function kafkaLogCreator(logger: BusLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const entry = { ...fields, namespace: `kafkajs.${namespace}` };
      switch (level) {
        case logLevel.ERROR:
          logger.error(entry, message);
          break;
        case logLevel.WARN:
          logger.warn(entry, message);
          break;
        case logLevel.INFO:
          logger.info(entry, message);
          break;
        case logLevel.DEBUG:
        case logLevel.NOTHING:
          logger.debug(entry, message);
          break;
      }
    };
}
