import { create, equals } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { ContractError } from "./contract-error.js";
import { renamedTopic } from "./define-topic.js";
import { newEnvelope } from "./envelope.js";
import { MessageCategory } from "./gen/cascade/channels/v1/category_pb.js";
import { EmailRequestSchema } from "./gen/cascade/channels/v1/email_request_pb.js";
import { PushRequestSchema, PushUrgency } from "./gen/cascade/channels/v1/push_request_pb.js";
import { SmsRequestSchema } from "./gen/cascade/channels/v1/sms_request_pb.js";
import { SocialPlatform, SocialRequestSchema } from "./gen/cascade/channels/v1/social_request_pb.js";
import { Channel } from "./gen/cascade/common/v1/channel_pb.js";
import { EventSchema, EventType } from "./gen/cascade/events/v1/event_pb.js";
import { OutcomeSchema, OutcomeStatus } from "./gen/cascade/outcomes/v1/outcome_pb.js";
import { PredictionModel, PredictionSchema } from "./gen/cascade/predictions/v1/prediction_pb.js";
import { ConsentStatus, ProfileChangeSchema, ScoreKind } from "./gen/cascade/profiles/v1/profile_change_pb.js";
import {
  CancelRunSchema,
  ManualStartSchema,
  ResumeRunSchema,
  WorkflowCommandSchema,
} from "./gen/cascade/workflows/v1/workflow_command_pb.js";
import {
  TriggerKind,
  WorkflowDefinitionSchema,
  WorkflowDefinitionStatus,
} from "./gen/cascade/workflows/v1/workflow_definition_pb.js";
import { RunEventKind, RunStatus, WorkflowRunEventSchema } from "./gen/cascade/workflows/v1/workflow_run_event_pb.js";
import type { TopicDef } from "./topic.js";
import { ALL_TOPICS, Topics, type MessageOf } from "./topics.js";

const WS = "ws-contracts-spec";
const at = new Date("2025-03-04T05:06:07.089Z");

/** One realistic message per topic; the mapped type makes a missing topic a compile error. */
const samples: { [K in keyof typeof Topics]: MessageOf<(typeof Topics)[K]> } = {
  EventsV1: create(EventSchema, {
    envelope: newEnvelope(WS, at),
    type: EventType.TRACK,
    event: "Order Completed",
    contactId: "c-1",
    userId: "u-1",
    anonymousId: "a-1",
    messageId: "ajs-123",
    properties: { revenue: 42.5, items: ["sku-1", "sku-2"], coupon: null, nested: { gift: true } },
    context: { ip: "203.0.113.9", page: { url: "https://example.com/checkout" } },
    timestamp: timestampFromDate(at),
    receivedAt: timestampFromDate(new Date(at.getTime() + 250)),
    sourceId: "src-1",
  }),
  ProfilesChangesV1: create(ProfileChangeSchema, {
    envelope: newEnvelope(WS, at),
    contactId: "c-1",
    causeMessageId: "0195b1f0-0000-7000-8000-000000000000",
    state: {
      userId: "u-1",
      anonymousIds: ["a-1"],
      traits: { plan: "pro", seats: 12 },
      engagementScore: 0.72,
      leadScore: 55,
      consents: [
        {
          channel: Channel.EMAIL,
          status: ConsentStatus.GRANTED,
          source: "signup_form",
          updatedAt: timestampFromDate(at),
        },
      ],
    },
    change: {
      case: "scoreChanged",
      value: { score: ScoreKind.LEAD, previous: 45, current: 55, reason: "visited_pricing" },
    },
  }),
  PredictionsV1: create(PredictionSchema, {
    envelope: newEnvelope(WS, at),
    contactId: "c-1",
    model: PredictionModel.CONTENT_INTEREST,
    score: 0.81,
    previousScore: 0.4,
    modelVersion: "2025-03-01.1",
    topFeatures: [{ name: "pages_viewed_7d", contribution: 0.31 }],
    recommendedItems: [{ itemId: "article-9", score: 0.9 }],
  }),
  WorkflowCommandsV1: create(WorkflowCommandSchema, {
    envelope: newEnvelope(WS, at),
    command: {
      case: "startRun",
      value: {
        workflowId: "wf-1",
        version: 3,
        contactId: "c-1",
        triggerId: "trigger-1",
        triggerPayload: { plan: "pro" },
      },
    },
  }),
  WorkflowDefinitionsV1: create(WorkflowDefinitionSchema, {
    envelope: newEnvelope(WS, at),
    workflowId: "wf-1",
    version: 3,
    name: "Lead welcome",
    status: WorkflowDefinitionStatus.PUBLISHED,
    definitionJson: JSON.stringify({ nodes: [{ id: "n1", kind: "event" }], edges: [] }),
    triggers: [{ nodeId: "n1", kind: TriggerKind.EVENT, eventName: "Signed Up", configJson: "{}" }],
    templateId: "lead_welcome_v1",
  }),
  ChannelEmailRequestsV1: create(EmailRequestSchema, {
    envelope: newEnvelope(WS, at),
    idempotencyKey: "run-1:n2",
    runId: "run-1",
    nodeId: "n2",
    workflowId: "wf-1",
    contactId: "c-1",
    category: MessageCategory.MARKETING,
    templateId: "tpl-welcome",
    templateVersion: 2,
    from: { address: "hello@example.com", name: "Example" },
    to: { address: "ada@example.org" },
    subject: "Welcome, {{first_name}}",
    variants: [{ variantId: "b", subject: "Hi {{first_name}}", weight: 50 }],
    variables: { first_name: "Ada" },
    tracking: { opens: true, clicks: true },
  }),
  ChannelSmsRequestsV1: create(SmsRequestSchema, {
    envelope: newEnvelope(WS, at),
    idempotencyKey: "run-1:n3",
    runId: "run-1",
    nodeId: "n3",
    workflowId: "wf-1",
    contactId: "c-1",
    category: MessageCategory.TRANSACTIONAL,
    to: "+14155550100",
    body: "Your code is 123456",
  }),
  ChannelPushRequestsV1: create(PushRequestSchema, {
    envelope: newEnvelope(WS, at),
    idempotencyKey: "run-1:n4",
    runId: "run-1",
    nodeId: "n4",
    workflowId: "wf-1",
    contactId: "c-1",
    category: MessageCategory.MARKETING,
    title: "Back in stock",
    body: "The blue one is back",
    url: "https://example.com/p/blue",
    ttlSeconds: 3600,
    urgency: PushUrgency.HIGH,
  }),
  ChannelSocialRequestsV1: create(SocialRequestSchema, {
    envelope: newEnvelope(WS, at),
    idempotencyKey: "run-1:n5",
    runId: "run-1",
    nodeId: "n5",
    workflowId: "wf-1",
    contactId: "c-1",
    category: MessageCategory.MARKETING,
    platforms: [SocialPlatform.LINKEDIN, SocialPlatform.X],
    text: "We launched!",
    platformTexts: [{ platform: SocialPlatform.X, text: "Launched 🚀" }],
    mediaUrls: ["https://example.com/launch.png"],
    scheduledAt: timestampFromDate(new Date("2025-04-01T09:00:00Z")),
  }),
  OutcomesV1: create(OutcomeSchema, {
    envelope: newEnvelope(WS, at),
    channel: Channel.EMAIL,
    status: OutcomeStatus.BOUNCED_HARD,
    reason: "mailbox_does_not_exist",
    provider: "mailgun",
    providerMessageId: "<20250304.1@mg.example.com>",
    idempotencyKey: "run-1:n2",
    runId: "run-1",
    nodeId: "n2",
    workflowId: "wf-1",
    contactId: "c-1",
    variantId: "b",
    details: { smtpCode: 550, diagnostic: "5.1.1 user unknown" },
  }),
  WorkflowRunsV1: create(WorkflowRunEventSchema, {
    envelope: newEnvelope(WS, at),
    kind: RunEventKind.NODE_COMPLETED,
    runId: "run-1",
    workflowId: "wf-1",
    version: 3,
    contactId: "c-1",
    nodeId: "n2",
    nodeKind: "email_send",
    status: RunStatus.RUNNING,
    nodeDurationMs: 1234,
    branch: "variant_b",
  }),
};

const topicNames = Object.keys(Topics) as Array<keyof typeof Topics>;

// The registry must be usable wherever the bus takes plain TopicDefs (compile-time check).
const asBusTopics: ReadonlyArray<TopicDef<unknown>> = ALL_TOPICS;

describe("topic registry", () => {
  it("lists every topic once in ALL_TOPICS, with unique names of the form <domain>.<name>.v<major>", () => {
    expect(asBusTopics).toHaveLength(topicNames.length);
    for (const name of topicNames) expect(ALL_TOPICS).toContain(Topics[name]);
    const names = ALL_TOPICS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(\.[a-z]+)*\.v[1-9][0-9]*$/);
    // Registry key and topic name agree: EventsV1 <-> events.v1, ChannelEmailRequestsV1 <-> channel.email.requests.v1.
    for (const key of topicNames) {
      expect(Topics[key].name.replace(/[.]/g, "")).toBe(key.toLowerCase());
    }
  });

  it("uses JSON for the public streams only", () => {
    const json = ALL_TOPICS.filter((t) => t.contentType === "application/json").map((t) => t.name);
    expect(json.sort()).toEqual([Topics.OutcomesV1.name, Topics.WorkflowRunsV1.name].sort());
    for (const t of ALL_TOPICS) expect(t.schema).toBe(t.desc.typeName);
  });
});

describe.each(topicNames)("%s", (name) => {
  const topic = Topics[name] as unknown as TopicDef<MessageOf<(typeof Topics)[typeof name]>> & {
    desc: (typeof Topics)[typeof name]["desc"];
  };
  const sample = samples[name];

  it("round-trips a message through encode/decode", () => {
    const decoded = topic.decode(topic.encode(sample));
    expect(equals(topic.desc, decoded as never, sample as never)).toBe(true);
    expect(topic.envelope(decoded)).toEqual(topic.envelope(sample));
  });

  it("exposes the envelope with occurredAt as ISO 8601", () => {
    expect(topic.envelope(sample)).toEqual({ id: sample.envelope?.id, workspace: WS, occurredAt: at.toISOString() });
  });

  it("rejects garbage bytes with a DECODE_FAILED ContractError naming the type", () => {
    const garbage = [
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]),
      new TextEncoder().encode("hello, world"),
      new Uint8Array([0x0a, 0x05, 0x01]), // field 1, length 5, but 1 byte follows
      new Uint8Array([]), // parses as an empty message: no envelope
      new Uint8Array([0xc3, 0x28]), // invalid UTF-8
      new TextEncoder().encode('{"envelope": {"id": '),
      new TextEncoder().encode('{"unrelated": true}'),
    ];
    for (const bytes of garbage) {
      let error: unknown;
      try {
        topic.decode(bytes);
      } catch (e) {
        error = e;
      }
      expect(error, `bytes [${Array.from(bytes).join(",")}]`).toBeInstanceOf(ContractError);
      expect((error as ContractError).code).toBe("DECODE_FAILED");
      expect((error as ContractError).message).toContain(topic.schema);
    }
  });

  it("refuses to encode a message without a complete envelope", () => {
    const noEnvelope = { ...sample, envelope: undefined };
    expect(() => topic.encode(noEnvelope)).toThrow(/envelope is missing/);
    const noWorkspace = { ...sample, envelope: { ...sample.envelope!, workspace: "" } };
    expect(() => topic.encode(noWorkspace)).toThrow(/envelope\.workspace is empty/);
  });
});

describe("keys", () => {
  it("keys per-contact topics by <workspace>:<contact_id>", () => {
    const perContact = topicNames.filter((n) => !["WorkflowDefinitionsV1", "WorkflowRunsV1"].includes(n));
    for (const name of perContact) {
      expect((Topics[name] as unknown as TopicDef<unknown>).key(samples[name]), name).toBe(`${WS}:c-1`);
    }
  });

  it("keys workflow definitions by workflow and run events by run", () => {
    expect(Topics.WorkflowDefinitionsV1.key(samples.WorkflowDefinitionsV1)).toBe(`${WS}:wf-1`);
    expect(Topics.WorkflowRunsV1.key(samples.WorkflowRunsV1)).toBe(`${WS}:run-1`);
  });

  it("refuses to key a message whose key field is empty, naming the field", () => {
    const event = create(EventSchema, { envelope: newEnvelope(WS), type: EventType.TRACK, event: "x" });
    expect(() => Topics.EventsV1.key(event)).toThrow(/cascade\.events\.v1\.Event: contact_id is empty/);
    const run = create(WorkflowRunEventSchema, { envelope: newEnvelope(WS), kind: RunEventKind.RUN_STARTED });
    expect(() => Topics.WorkflowRunsV1.key(run)).toThrow(/run_id is empty/);
  });

  it("keys every workflow command by its contact, and a manual start by its workflow", () => {
    const command = (c: MessageOf<typeof Topics.WorkflowCommandsV1>["command"]) =>
      Topics.WorkflowCommandsV1.key(create(WorkflowCommandSchema, { envelope: newEnvelope(WS), command: c }));
    expect(command({ case: "cancelRun", value: create(CancelRunSchema, { contactId: "c-2", runId: "r" }) })).toBe(
      `${WS}:c-2`,
    );
    expect(command({ case: "resumeRun", value: create(ResumeRunSchema, { contactId: "c-3", runId: "r" }) })).toBe(
      `${WS}:c-3`,
    );
    expect(
      command({
        case: "manualStart",
        value: create(ManualStartSchema, {
          workflowId: "wf-9",
          audience: { case: "filter", value: "lead_score >= 50" },
        }),
      }),
    ).toBe(`${WS}:wf-9`);
    expect(() => command({ case: "cancelRun", value: create(CancelRunSchema, { runId: "r" }) })).toThrow(
      /cancel_run\.contact_id is empty/,
    );
    expect(() => command({ case: undefined })).toThrow(/command is not set/);
  });

  it("keys a channel alert without a contact by workspace, but no other contact-less outcome", () => {
    const alert = create(OutcomeSchema, {
      envelope: newEnvelope(WS),
      channel: Channel.SMS,
      status: OutcomeStatus.ALERT,
    });
    expect(Topics.OutcomesV1.key(alert)).toBe(WS);
    const sent = create(OutcomeSchema, { envelope: newEnvelope(WS), channel: Channel.SMS, status: OutcomeStatus.SENT });
    expect(() => Topics.OutcomesV1.key(sent)).toThrow(/contact_id is empty/);
  });
});

describe("public streams (canonical proto3 JSON)", () => {
  const snakeCaseKeys = (value: unknown, path = "$"): string[] => {
    if (Array.isArray(value)) return value.flatMap((v, i) => snakeCaseKeys(v, `${path}[${i}]`));
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([k, v]) =>
      // Struct contents are free-form user data; everything else must use JSON names.
      k === "details" ? [] : [...(k.includes("_") ? [`${path}.${k}`] : []), ...snakeCaseKeys(v, `${path}.${k}`)],
    );
  };

  it("writes outcomes as JSON with lowerCamelCase names and enum names as strings", () => {
    const json: unknown = JSON.parse(new TextDecoder().decode(Topics.OutcomesV1.encode(samples.OutcomesV1)));
    expect(json).toMatchObject({
      envelope: { id: samples.OutcomesV1.envelope?.id, workspace: WS, occurredAt: "2025-03-04T05:06:07.089Z" },
      channel: "CHANNEL_EMAIL",
      status: "OUTCOME_STATUS_BOUNCED_HARD",
      providerMessageId: "<20250304.1@mg.example.com>",
      idempotencyKey: "run-1:n2",
      contactId: "c-1",
      details: { smtpCode: 550, diagnostic: "5.1.1 user unknown" },
    });
    expect(snakeCaseKeys(json)).toEqual([]);
  });

  it("writes run events as JSON with lowerCamelCase names, enum strings and durations as numbers", () => {
    const json: unknown = JSON.parse(new TextDecoder().decode(Topics.WorkflowRunsV1.encode(samples.WorkflowRunsV1)));
    expect(json).toMatchObject({
      kind: "RUN_EVENT_KIND_NODE_COMPLETED",
      status: "RUN_STATUS_RUNNING",
      runId: "run-1",
      nodeKind: "email_send",
      nodeDurationMs: 1234,
    });
    expect(snakeCaseKeys(json)).toEqual([]);
  });

  it("reads JSON written by other producers: proto field names, numeric enums, unknown fields", () => {
    const foreign = JSON.stringify({
      envelope: { id: "0195b1f0-0000-7000-8000-000000000001", workspace: WS, occurred_at: "2025-03-04T05:06:07Z" },
      channel: 2,
      status: "OUTCOME_STATUS_DELIVERED",
      contact_id: "c-7",
      added_in_a_later_minor_version: { anything: 1 },
    });
    const outcome = Topics.OutcomesV1.decode(new TextEncoder().encode(foreign));
    expect(outcome.channel).toBe(Channel.SMS);
    expect(outcome.status).toBe(OutcomeStatus.DELIVERED);
    expect(outcome.contactId).toBe("c-7");
    expect(Topics.OutcomesV1.envelope(outcome).occurredAt).toBe("2025-03-04T05:06:07.000Z");
  });
});

describe("renamedTopic", () => {
  it("returns the same contract under another name and leaves the original alone", () => {
    const renamed = renamedTopic(Topics.EventsV1, "events.v1.t-abc123");
    expect(renamed.name).toBe("events.v1.t-abc123");
    expect(Topics.EventsV1.name).toBe("events.v1");
    expect(renamed.schema).toBe(Topics.EventsV1.schema);
    expect(renamed.key(samples.EventsV1)).toBe(`${WS}:c-1`);
    const decoded = renamed.decode(Topics.EventsV1.encode(samples.EventsV1));
    expect(equals(EventSchema, decoded, samples.EventsV1)).toBe(true);
  });

  it("renames a TopicDef that is not from the registry, keeping its methods", () => {
    class FakeTopic implements TopicDef<string> {
      readonly name = "fake.things.v1";
      readonly schema = "test.Thing";
      readonly contentType = "application/json" as const;
      key(message: string): string {
        return `${this.name}/${message}`;
      }
      envelope(): { id: string; workspace: string; occurredAt: string } {
        return { id: "1", workspace: WS, occurredAt: at.toISOString() };
      }
      encode(message: string): Uint8Array {
        return new TextEncoder().encode(message);
      }
      decode(bytes: Uint8Array): string {
        return new TextDecoder().decode(bytes);
      }
    }
    const renamed = renamedTopic(new FakeTopic(), "fake.things.v1.t-1");
    expect(renamed.name).toBe("fake.things.v1.t-1");
    expect(renamed.key("x")).toBe("fake.things.v1.t-1/x");
    expect(renamed.decode(renamed.encode("y"))).toBe("y");
  });

  it("rejects names Kafka would not accept", () => {
    expect(() => renamedTopic(Topics.EventsV1, "events v1")).toThrow(/topic name "events v1" is invalid/);
    expect(() => renamedTopic(Topics.EventsV1, "")).toThrow(ContractError);
  });
});
