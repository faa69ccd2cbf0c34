/** Helpers for the profiles integration tests: publish events.v1, read the admin API and profiles.changes.v1. */
import { randomUUID } from "node:crypto";
import {
  create,
  EventSchema,
  EventType,
  newEnvelope,
  timestampFromDate,
  Topics,
  type Event,
  type JsonObject,
  type ProfileChange,
} from "@cascade/contracts";
import type { Subscription } from "@cascade/bus";
import { profilesService } from "../src/index.js";
import { eventually, startTestPlatform, type TestPlatform } from "@cascade/testing";
import type { ContactView } from "../src/contacts/use-cases/get-contact.use-case.js";

export type { ContactView };

export interface EventInput {
  type?: EventType;
  event?: string;
  userId?: string;
  anonymousId?: string;
  /** Defaults to userId ?? anonymousId, as ingest sets it. */
  contactId?: string;
  previousId?: string;
  properties?: JsonObject;
  traits?: JsonObject;
  timestamp?: Date;
}

function eventOf(workspaceId: string, input: EventInput): Event {
  return create(EventSchema, {
    envelope: newEnvelope(workspaceId),
    type: input.type ?? EventType.TRACK,
    event: input.event ?? "",
    userId: input.userId ?? "",
    anonymousId: input.anonymousId ?? "",
    contactId: input.contactId ?? input.userId ?? input.anonymousId ?? "",
    previousId: input.previousId ?? "",
    properties: input.properties,
    traits: input.traits,
    timestamp: timestampFromDate(input.timestamp ?? new Date()),
  });
}

/** A unique id for this run, so reruns against the same database never meet old rows. */
export const uid = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;

/**
 * One profiles platform for a test file: `start()` in beforeAll, `close()` in afterAll. Collects every
 * ProfileChange published (its own consumer group, from the beginning of this platform's topic).
 */
export class ProfilesHarness {
  /** Every ProfileChange published so far, in arrival order. */
  readonly changes: ProfileChange[] = [];
  private running: TestPlatform | undefined;
  private subscription: Subscription | undefined;

  get platform(): TestPlatform {
    if (!this.running) throw new Error("ProfilesHarness: call start() first (in beforeAll)");
    return this.running;
  }

  async start(): Promise<void> {
    this.running = await startTestPlatform({ services: [profilesService] });
    this.subscription = await this.running.bus.subscribe({
      group: uid("profiles-test-reader"),
      topic: Topics.ProfilesChangesV1,
      fromBeginning: true,
      handler: async (message) => {
        this.changes.push(message.value);
        return "processed";
      },
    });
  }

  async close(): Promise<void> {
    await this.subscription?.close();
    await this.running?.close();
  }

  eventOf(input: EventInput): Event {
    return eventOf(this.platform.workspaceId, input);
  }

  /** Publishes the events on events.v1 (in order) and returns them. */
  async publish(...inputs: EventInput[]): Promise<Event[]> {
    const events = inputs.map((input) => this.eventOf(input));
    await this.platform.bus.publish(
      Topics.EventsV1,
      events.map((value) => ({ value })),
    );
    return events;
  }

  /** Calls the admin API with the admin key. */
  api(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.platform.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${this.platform.workspace.adminKey}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...init.headers,
      },
    });
  }

  /** The contact, or undefined on 404. */
  async contact(id: string): Promise<ContactView | undefined> {
    const response = await this.api(`/api/contacts/${encodeURIComponent(id)}`);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw new Error(`GET contact ${id}: ${response.status} ${await response.text()}`);
    return (await response.json()) as ContactView;
  }

  /** Polls until the contact exists and `until` holds. */
  waitForContact(id: string, until: (contact: ContactView) => boolean): Promise<ContactView> {
    return eventually(async () => {
      const current = await this.contact(id);
      return current && until(current) ? current : undefined;
    }, 30_000);
  }

  /** Polls until `count` changes of the contact matching `until` have arrived; returns them. */
  waitForChanges(contactId: string, until: (change: ProfileChange) => boolean, count = 1): Promise<ProfileChange[]> {
    return eventually(async () => {
      const matching = this.changes.filter((change) => change.contactId === contactId && until(change));
      return matching.length >= count ? matching : undefined;
    }, 30_000);
  }
}
