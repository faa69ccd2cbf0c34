/**
 * Trigger matching throughput of services/triggers: the in-memory matcher (index look-up + URL patterns +
 * filter evaluation) over a realistic event stream, with a realistic mix of active workflows.
 *   npm run bench -- triggers-matching [--workflows 10000] [--events 100000]
 * Baseline, same run: JSON.parse of the same events (what any consumer pays per event at least).
 * Then the cost as NON-matching workflows grow from 1,000 to 10,000 to 100,000 beside 1,000 matching ones
 * (goal: flat within 20 %).
 */
import type { JsonObject } from "@cascade/contracts";
import {
  compiledWorkflowMix,
  compileTrustedNodes,
  EventMatcher,
  mixedEvent,
  TriggerIndex,
  unknownContact,
  type CompiledWorkflow,
  type InboundEvent,
} from "@cascade/services/triggers";
import type { WorkflowNode } from "@cascade/workflow";
import { flag, report } from "./_harness.js";

const WORKSPACE = "bench";
const workflowCount = flag("workflows", 10_000);
const eventCount = flag("events", 100_000);
const DISTINCT_EVENTS = 10_000;

function inboundEvents(): InboundEvent[] {
  return Array.from({ length: DISTINCT_EVENTS }, (_, i) => {
    const { name, properties } = mixedEvent(i);
    const url = typeof properties["url"] === "string" ? properties["url"].toLowerCase() : undefined;
    const hookId = typeof properties["hook_id"] === "string" ? properties["hook_id"] : undefined;
    return {
      messageId: `m-${i}`,
      workspaceId: WORKSPACE,
      contactId: `c-${i % 997}`,
      name,
      occurredAt: new Date(1_750_000_000_000 + i),
      properties,
      context: {},
      lowerUrl: url,
      hookId,
    };
  });
}

/** Events per second through index look-up and the in-memory checks. */
function matchingRate(
  index: TriggerIndex,
  events: readonly InboundEvent[],
  total: number,
): { perSecond: number; matched: number } {
  const matcher = new EventMatcher(index);
  const contact = unknownContact("c");
  let matched = 0;
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      const event = events[i % events.length] as InboundEvent;
      const candidates = matcher.candidates(event);
      matched += matcher.match(event, candidates.triggers, candidates.needsContact ? contact : undefined).length;
    }
  };
  run(Math.min(total, 20_000)); // warm-up
  matched = 0;
  const started = process.hrtime.bigint();
  run(total);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: total / seconds, matched };
}

function jsonParseRate(events: readonly InboundEvent[], total: number): number {
  const texts = events.map((event) => JSON.stringify({ ...event, occurredAt: event.occurredAt.toISOString() }));
  let sink = 0;
  for (let i = 0; i < Math.min(total, 20_000); i++)
    sink += (JSON.parse(texts[i % texts.length] as string) as JsonObject)["name"] ? 1 : 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i++) sink += (JSON.parse(texts[i % texts.length] as string) as JsonObject)["name"] ? 1 : 0;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink < 0) console.log(sink);
  return total / seconds;
}

/** Workflows that never match the stream: 80 % on other event names, 20 % on URL patterns of pages not visited. */
function nonMatching(count: number): CompiledWorkflow[] {
  return Array.from({ length: count }, (_, i) => {
    const node =
      i % 5 === 4
        ? {
            id: "trigger",
            kind: "behavioral",
            config: { events: ["page_view"], urlPatterns: [`*/careers/job-${i}-*`] },
          }
        : {
            id: "trigger",
            kind: "event",
            config: { event: `other_event_${i}`, filter: "event.properties.total >= 10" },
          };
    const result = compileTrustedNodes({ workspaceId: WORKSPACE, workflowId: `idle-${i}`, version: 1 }, [
      node as unknown as WorkflowNode,
    ]);
    if (!result.ok) throw new Error(result.problems.join("; "));
    return result.workflow;
  });
}

const events = inboundEvents();
const index = new TriggerIndex();
for (const workflow of compiledWorkflowMix(WORKSPACE, workflowCount)) index.upsert(workflow);
const matching = matchingRate(index, events, eventCount);
const parse = jsonParseRate(events, eventCount);
console.log(`${workflowCount} workflows: ${matching.matched} trigger matches over ${eventCount} events`);

const scaling = [1_000, 10_000, 100_000].map((idle) => {
  const scaled = new TriggerIndex();
  for (const workflow of compiledWorkflowMix(WORKSPACE, 1_000, "active")) scaled.upsert(workflow);
  for (const workflow of nonMatching(idle)) scaled.upsert(workflow);
  return { idle, rate: matchingRate(scaled, events, eventCount).perSecond };
});
const [small, , large] = scaling as [
  { idle: number; rate: number },
  { idle: number; rate: number },
  { idle: number; rate: number },
];

report("triggers matching (one core)", [
  {
    what: `matcher with ${workflowCount.toLocaleString("en-US")} workflows vs JSON.parse of the same events`,
    subject: { name: "matching", value: matching.perSecond, unit: "events/s" },
    baseline: { name: "JSON.parse", value: parse, unit: "events/s" },
  },
  {
    what: "matcher vs the 20,000 events/s goal",
    subject: { name: "matching", value: matching.perSecond, unit: "events/s" },
    baseline: { name: "goal", value: 20_000, unit: "events/s" },
    goal: 1,
  },
  ...scaling.slice(1).map((point) => ({
    what: `cost with ${point.idle.toLocaleString("en-US")} vs ${small.idle.toLocaleString("en-US")} non-matching workflows (1,000 matching)`,
    subject: { name: `${point.idle} idle`, value: point.rate, unit: "events/s" },
    baseline: { name: `${small.idle} idle`, value: small.rate, unit: "events/s" },
    goal: 0.8,
  })),
]);
console.log(
  `flat within 20 % from 1,000 to 100,000 non-matching workflows: ${large.rate / small.rate >= 0.8 ? "yes" : "NO"}`,
);
