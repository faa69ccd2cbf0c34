import type { DeliveryQueue } from "./delivery-queue.js";
import type { Identity } from "./identity.js";
import type { JsonObject, Message } from "./messages.js";

export interface AnalyticsDependencies {
  queue: DeliveryQueue;
  identity: Identity;
  /** Context sent with every message (library, page, user agent, locale, campaign…), read at each call. */
  context: () => JsonObject;
  /** The current page's url, path, search, referrer and title, the defaults of a page call. */
  pageProperties: () => JsonObject;
  newId: () => string;
  now?: () => Date;
}

type WithoutBase<M> = M extends Message ? Omit<M, "messageId" | "timestamp" | "anonymousId" | "context"> : never;

/**
 * The tracking calls of the Segment spec. Each call builds a message with a messageId (ingest de-duplicates
 * on it), the client timestamp, the visitor's ids and context, queues it, and returns the messageId.
 * DOM-free: the browser layer supplies context and page properties.
 */
export class Analytics {
  private readonly now: () => Date;
  private readonly extraContext: Array<() => JsonObject | undefined> = [];

  constructor(private readonly deps: AnalyticsDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  get anonymousId(): string {
    return this.deps.identity.anonymousId;
  }

  get userId(): string | undefined {
    return this.deps.identity.userId;
  }

  /** Names the visitor (userId) and/or records traits about them; both persist for later calls. */
  identify(userId?: string, traits: JsonObject = {}): string {
    if (userId !== undefined) requireText("identify", "userId", userId);
    this.deps.identity.identify(userId, traits);
    return this.send({ type: "identify", traits: this.deps.identity.traits });
  }

  /** Records an action the visitor took. */
  track(event: string, properties: JsonObject = {}): string {
    requireText("track", "event", event);
    return this.send({ type: "track", event, properties });
  }

  /** Records a page view; url, path, search, referrer and title default to the current page. */
  page(name?: string, properties: JsonObject = {}, category?: string): string {
    return this.send({
      type: "page",
      ...(name ? { name } : {}),
      ...(category ? { category } : {}),
      properties: { ...this.deps.pageProperties(), ...(name ? { name } : {}), ...properties },
    });
  }

  /** Associates the visitor with a company, account or team. */
  group(groupId: string, traits: JsonObject = {}): string {
    requireText("group", "groupId", groupId);
    return this.send({ type: "group", groupId, traits });
  }

  /** Merges two identities: `previousId` (default: the current user or anonymous id) becomes `userId`. */
  alias(userId: string, previousId?: string): string {
    requireText("alias", "userId", userId);
    return this.send({ type: "alias", userId, previousId: previousId ?? this.userId ?? this.anonymousId });
  }

  /** Forgets the user (log-out): clears userId and traits and starts a new anonymousId. */
  reset(): void {
    this.deps.identity.reset();
  }

  /**
   * Adds fields to the context of every later message, read at each call (the push module adds the push a
   * visitor landed from); an undefined result adds nothing. Returns a function that removes the provider.
   */
  addContext(provider: () => JsonObject | undefined): () => void {
    this.extraContext.push(provider);
    return () => {
      const index = this.extraContext.indexOf(provider);
      if (index >= 0) this.extraContext.splice(index, 1);
    };
  }

  /** Sends what is queued now rather than at the next flush interval. */
  flush(): Promise<void> {
    return this.deps.queue.flush();
  }

  private send(fields: WithoutBase<Message>): string {
    const userId = this.userId;
    const message = {
      ...fields,
      messageId: this.deps.newId(),
      timestamp: this.now().toISOString(),
      anonymousId: this.anonymousId,
      ...(userId !== undefined && fields.type !== "alias" ? { userId } : {}),
      context: Object.assign({}, this.deps.context(), ...this.extraContext.map((provider) => provider())),
    } as Message;
    this.deps.queue.enqueue(message);
    return message.messageId;
  }
}

function requireText(call: string, field: string, value: unknown): void {
  if (typeof value !== "string" || value.trim() === "")
    throw new TypeError(`cascade.${call}: ${field} must be a non-empty string`);
}
