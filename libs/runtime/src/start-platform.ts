import { Module, type DynamicModule } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { FastifyAdapter, type NestFastifyApplication } from "@nestjs/platform-fastify";
import { ALL_TOPICS, type TopicDef } from "@cascade/contracts";
import { createBus, type Bus } from "@cascade/bus";
import {
  createDataSource,
  createLedgerMigration,
  createOutboxMigration,
  OutboxRelay,
  runMigrations,
  type DatabaseHandle,
} from "@cascade/db";
import {
  NestLogger,
  ObservabilityModule,
  ReadinessRegistry,
  busCheck,
  createLogger,
  dataSourceCheck,
  type Logger,
} from "@cascade/observability";
import { join, resolve } from "node:path";
import { DataSource } from "typeorm";
import { BusTransport } from "./bus-transport.js";
import { resolveDefaultWorkspace } from "./default-workspace.js";
import { NamespacedBus } from "./namespaced-bus.js";
import { OutboxRelays } from "./outbox-relays.js";
import type { RuntimeConfig } from "./runtime-config.js";
import { schemaNameOf, type ServiceDefinition } from "./service-definition.js";
import { BUS, DEFAULT_WORKSPACE, ENVIRONMENT, type DefaultWorkspace } from "./tokens.js";

export interface StartPlatformOptions {
  /** `cascade` for the embedded process, else the service's name. */
  processName: string;
  services: ReadonlyArray<ServiceDefinition>;
  config: RuntimeConfig;
  /** Tests: a logger destination; default stdout. */
  logger?: Logger;
  /** The variables services read their own settings from (ENVIRONMENT token); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Embedded database directory; default `<CASCADE_DATA_DIR>/pgdata`. Tests pass `memory://`. */
  embeddedDataDir?: string;
}

export interface RunningPlatform {
  app: NestFastifyApplication;
  /** Base URL the HTTP server listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  bus: Bus;
  database: DatabaseHandle;
  workspace: DefaultWorkspace;
  /** Graceful shutdown: stop HTTP, let consumers finish and commit, flush outboxes, close bus and database. */
  close(): Promise<void>;
}

/**
 * Starts a Cascade process hosting the given services: database (PostgreSQL or embedded PGlite) with each
 * service's migrations in its own schema, bus (Kafka or embedded) with the services' topics, outbox relays,
 * and one NestJS application on Fastify serving the services' HTTP routes and consumers.
 */
export async function startPlatform(options: StartPlatformOptions): Promise<RunningPlatform> {
  const { config, services } = options;
  const log = options.logger ?? createLogger(options.processName, config.LOG_LEVEL);
  const dataDir = resolve(config.CASCADE_DATA_DIR);
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log.error({ err: error }, "shutdown step failed");
      }
    }
  };

  try {
    const database = await createDataSource({
      databaseUrl: config.DATABASE_URL,
      dataDir: options.embeddedDataDir ?? join(dataDir, "pgdata"),
      applicationName: options.processName,
    });
    cleanups.push(() => database.close());
    log.info({ database: database.kind }, "database open");

    for (const service of services) {
      const schema = schemaNameOf(service);
      const applied = await runMigrations(database.dataSource, {
        schema,
        migrations: [createLedgerMigration(schema), createOutboxMigration(schema), ...service.migrations],
      });
      if (applied.length > 0) log.info({ schema, applied }, "migrations applied");
    }

    const innerBus = createBus({
      brokers: config.KAFKA_BROKERS,
      clientId: options.processName,
      dataSource: database.dataSource,
      partitions: config.KAFKA_PARTITIONS,
      logger: log.child({ component: "bus" }),
    });
    const bus: Bus = config.CASCADE_TOPIC_SUFFIX ? new NamespacedBus(innerBus, config.CASCADE_TOPIC_SUFFIX) : innerBus;
    cleanups.push(() => bus.close());
    const topics = uniqueTopics(services.flatMap((service) => service.topics));
    await bus.ensureTopics(topics, { partitions: config.KAFKA_PARTITIONS });
    log.info({ bus: config.KAFKA_BROKERS ? "kafka" : "embedded", topics: topics.map((t) => t.name) }, "bus ready");

    const relays = new OutboxRelays();
    for (const service of services.filter((s) => s.outbox)) {
      relays.add(
        schemaNameOf(service),
        new OutboxRelay({
          dataSource: database.dataSource,
          schema: schemaNameOf(service),
          publisher: bus,
          // PGlite serves one connection: the relay must not hold a transaction open while publishing.
          concurrency: database.kind === "embedded" ? "single" : "replicas",
          logger: log.child({ component: "outbox", schema: schemaNameOf(service) }),
        }),
      );
    }
    relays.start();
    cleanups.push(() => relays.stop());

    const { workspace, generated } = await resolveDefaultWorkspace({
      workspace: config.CASCADE_WORKSPACE,
      writeKey: config.CASCADE_WRITE_KEY,
      adminKey: config.CASCADE_ADMIN_KEY,
      dataDir,
    });
    if (generated) {
      log.warn(
        {
          workspace: workspace.id,
          writeKey: workspace.writeKey,
          adminKey: workspace.adminKey,
          file: join(dataDir, "keys.json"),
        },
        "generated keys for the default workspace (set CASCADE_WRITE_KEY and CASCADE_ADMIN_KEY to choose your own)",
      );
    }

    const app = await NestFactory.create<NestFastifyApplication>(
      rootModule({ options, database, bus, relays, workspace }),
      // Signed tracking tokens travel as path parameters, longer than Fastify's default 100 characters.
      new FastifyAdapter({ bodyLimit: 1024 * 1024, routerOptions: { maxParamLength: 2048 } }),
      { bufferLogs: true, abortOnError: false },
    );
    cleanups.push(() => app.close());
    app.useLogger(app.get(NestLogger));
    const readiness = app.get(ReadinessRegistry);
    readiness.register(dataSourceCheck(database.dataSource));
    readiness.register(busCheck(bus));

    const topicsByName = new Map<string, TopicDef<unknown>>(
      ALL_TOPICS.map((topic) => [topic.name, topic as TopicDef<unknown>]),
    );
    app.connectMicroservice({ strategy: new BusTransport(bus, topicsByName) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.listen(config.PORT, config.HOST);
    const address = app.getHttpServer().address();
    const port = typeof address === "object" && address ? address.port : config.PORT;
    const url = `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${port}`;
    log.info({ url, services: services.map((s) => s.name) }, "cascade is up");

    return { app, url, bus, database, workspace, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function uniqueTopics(topics: ReadonlyArray<TopicDef<unknown>>): TopicDef<unknown>[] {
  return [...new Map(topics.map((topic) => [topic.name, topic])).values()];
}

function rootModule(parts: {
  options: StartPlatformOptions;
  database: DatabaseHandle;
  bus: Bus;
  relays: OutboxRelays;
  workspace: DefaultWorkspace;
}): DynamicModule {
  const { options, database, bus, relays, workspace } = parts;
  @Module({})
  class PlatformModule {}
  const platform: DynamicModule = {
    module: PlatformModule,
    global: true,
    providers: [
      { provide: DataSource, useValue: database.dataSource },
      { provide: BUS, useValue: bus },
      { provide: OutboxRelays, useValue: relays },
      { provide: DEFAULT_WORKSPACE, useValue: workspace },
      { provide: ENVIRONMENT, useValue: options.env ?? process.env },
    ],
    exports: [DataSource, BUS, OutboxRelays, DEFAULT_WORKSPACE, ENVIRONMENT],
  };
  @Module({})
  class CascadeModule {}
  return {
    module: CascadeModule,
    imports: [
      ObservabilityModule.forRoot({ level: options.config.LOG_LEVEL, serviceName: options.processName }),
      platform,
      ...options.services.map((service) => service.module),
    ],
  };
}
