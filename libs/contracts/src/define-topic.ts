import { fromBinary, fromJsonString, toBinary, toJsonString, type Message } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import { ContractError } from "./contract-error.js";
import { toEnvelopeFields } from "./envelope.js";
import type { Envelope } from "./gen/cascade/common/v1/envelope_pb.js";
import type { ContentType, EnvelopeFields, TopicDef } from "./topic.js";

/** Every message on the bus carries the envelope as field 1. */
export type EnvelopedMessage = Message & { envelope?: Envelope | undefined };

/**
 * What a message is keyed by, after `<workspace>:`: the proto field name (for errors) and its
 * value. `null` keys the message by workspace alone.
 */
export type KeyPart = readonly [field: string, value: string] | null;

/** How a topic's messages travel: protobuf binary (internal) or canonical proto3 JSON (public). */
export type TopicEncoding = "protobuf" | "json";

export interface TopicSpec<T extends EnvelopedMessage> {
  name: string;
  /** The generated schema, e.g. `EventSchema`. */
  desc: GenMessage<T>;
  encoding: TopicEncoding;
  keyPart(message: T): KeyPart;
}

/** A TopicDef from the registry; `desc` gives the generated schema for `create(...)`. */
export interface ContractTopic<T extends EnvelopedMessage> extends TopicDef<T> {
  readonly desc: GenMessage<T>;
  readonly encoding: TopicEncoding;
}

const KAFKA_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

const specs = new WeakMap<object, TopicSpec<EnvelopedMessage>>();

export function assertTopicName(name: string): void {
  if (!KAFKA_TOPIC_NAME.test(name) || name === "." || name === "..") {
    throw new ContractError(
      "TOPIC_NAME_INVALID",
      `topic name "${name}" is invalid: use 1-249 characters from [a-zA-Z0-9._-]`,
    );
  }
}

/** Builds a registry entry. Only topics.ts calls this; everyone else uses `Topics`. */
export function defineTopic<T extends EnvelopedMessage>(spec: TopicSpec<T>): ContractTopic<T> {
  assertTopicName(spec.name);
  const { desc, encoding } = spec;
  const typeName = desc.typeName;
  const contentType: ContentType = encoding === "json" ? "application/json" : "application/x-protobuf";

  const envelope = (message: T): EnvelopeFields => toEnvelopeFields(message.envelope, typeName);

  const encode = (message: T): Uint8Array => {
    envelope(message);
    return encoding === "json" ? utf8Encoder.encode(toJsonString(desc, message)) : toBinary(desc, message);
  };

  const parse = (bytes: Uint8Array): T => {
    try {
      // Public streams ignore unknown fields so that older readers accept newer writers' JSON.
      return encoding === "json"
        ? fromJsonString(desc, utf8Decoder.decode(bytes), { ignoreUnknownFields: true })
        : fromBinary(desc, bytes);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ContractError(
        "DECODE_FAILED",
        `cannot decode ${typeName} from ${bytes.length} bytes of ${contentType}: ${reason}`,
        { cause },
      );
    }
  };

  const decode = (bytes: Uint8Array): T => {
    const message = parse(bytes);
    try {
      envelope(message);
    } catch (cause) {
      // Almost any byte string parses as *some* protobuf; a missing envelope is how garbage shows.
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ContractError("DECODE_FAILED", `cannot decode ${typeName}: ${reason}`, { cause });
    }
    return message;
  };

  const key = (message: T): string => {
    const { workspace } = envelope(message);
    const part = spec.keyPart(message);
    if (part === null) return workspace;
    const [field, value] = part;
    if (value === "") {
      throw new ContractError("KEY_MISSING", `cannot key ${typeName}: ${field} is empty`);
    }
    return `${workspace}:${value}`;
  };

  const topic: ContractTopic<T> = Object.freeze({
    name: spec.name,
    schema: typeName,
    contentType,
    desc,
    encoding,
    key,
    envelope,
    encode,
    decode,
  });
  specs.set(topic, spec as unknown as TopicSpec<EnvelopedMessage>);
  return topic;
}

/**
 * The same topic under another name, e.g. with a per-test suffix:
 * `renamedTopic(Topics.EventsV1, Topics.EventsV1.name + ".t-" + suffix)`.
 */
export function renamedTopic<T extends EnvelopedMessage>(def: ContractTopic<T>, name: string): ContractTopic<T>;
export function renamedTopic<T>(def: TopicDef<T>, name: string): TopicDef<T>;
export function renamedTopic<T>(def: TopicDef<T>, name: string): TopicDef<T> {
  assertTopicName(name);
  const spec = specs.get(def);
  if (spec !== undefined) {
    return defineTopic({ ...spec, name }) as unknown as TopicDef<T>;
  }
  // A TopicDef from elsewhere (e.g. a test fake, maybe a class): keep its behaviour, change the name.
  return Object.freeze(Object.create(def, { name: { value: name, enumerable: true } }) as TopicDef<T>);
}
