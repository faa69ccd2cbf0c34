import type { HttpClient } from "./http-client.js";

export interface CrmRequest {
  readonly object: string;
  readonly contactId: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly idempotencyKey: string;
}

export interface CrmResult {
  /** The CRM record id (create). */
  readonly recordId?: string;
  /** Contact traits the adapter changed (the built-in adapter writes the contact itself). */
  readonly traits?: Readonly<Record<string, unknown>>;
}

/** A CRM as integration nodes see it. */
export interface CrmAdapter {
  update(request: CrmRequest): Promise<CrmResult>;
  create(request: CrmRequest): Promise<CrmResult>;
}

/**
 * Cascade's own contacts as the CRM: an update sets the fields as contact traits (published as an identify
 * event on events.v1, which profiles merges); a create records `<object>_id` and `<object>_<field>` traits.
 */
export const builtInCrmAdapter: CrmAdapter = {
  async update(request) {
    return { traits: { ...request.fields } };
  },
  async create(request) {
    const recordId = `${request.object}:${request.idempotencyKey}`;
    const traits: Record<string, unknown> = { [`${request.object}_id`]: recordId };
    for (const [name, value] of Object.entries(request.fields)) traits[`${request.object}_${name}`] = value;
    return { recordId, traits };
  },
};

/**
 * A CRM behind a plain REST API: `PATCH <baseUrl>/<object>/by-contact/<contactId>` with `{ fields }` to update,
 * `POST <baseUrl>/<object>` with `{ contact_id, fields }` to create (the answer's `id` is the record id).
 * Every call carries `Idempotency-Key`.
 */
export class RestCrmAdapter implements CrmAdapter {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    private readonly headers: Readonly<Record<string, string>> = {},
    private readonly timeoutMs = 10_000,
  ) {}

  async update(request: CrmRequest): Promise<CrmResult> {
    await this.http.call({
      method: "PATCH",
      url: `${this.baseUrl.replace(/\/$/, "")}/${encodeURIComponent(request.object)}/by-contact/${encodeURIComponent(request.contactId)}`,
      headers: this.headersFor(request),
      body: JSON.stringify({ fields: request.fields }),
      timeoutMs: this.timeoutMs,
    });
    return {};
  }

  async create(request: CrmRequest): Promise<CrmResult> {
    const response = await this.http.call({
      method: "POST",
      url: `${this.baseUrl.replace(/\/$/, "")}/${encodeURIComponent(request.object)}`,
      headers: this.headersFor(request),
      body: JSON.stringify({ contact_id: request.contactId, fields: request.fields }),
      timeoutMs: this.timeoutMs,
    });
    const body = response.body as { id?: unknown } | null;
    return {
      recordId: body && (typeof body.id === "string" || typeof body.id === "number") ? String(body.id) : undefined,
    };
  }

  private headersFor(request: CrmRequest): Record<string, string> {
    return { "content-type": "application/json", "idempotency-key": request.idempotencyKey, ...this.headers };
  }
}
