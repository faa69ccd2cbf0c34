import type { DefinitionProblem } from "@cascade/workflow";

const KEY_STORAGE = "cascade.studio.key";

/** A definition as edited in the builder: plain JSON, possibly invalid. */
export interface DraftNode {
  id: string;
  kind: string;
  label?: string;
  config?: Record<string, unknown>;
  position?: { x: number; y: number };
}
export interface DraftEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string;
}
export interface Draft {
  id?: string;
  name: string;
  description?: string;
  settings: Record<string, unknown>;
  nodes: DraftNode[];
  edges: DraftEdge[];
  [key: string]: unknown;
}

export interface Workflow {
  workflowId: string;
  name: string;
  description: string;
  templateId: string;
  draft: Draft;
  draftRevision: number;
  publishedVersion: number | null;
  status: "draft" | "published" | "archived";
  valid: boolean;
  problems: DefinitionProblem[];
  updatedAt: string;
}
export type WorkflowSummary = Omit<Workflow, "draft" | "problems">;

export interface TemplateEntry {
  id: string;
  name: string;
  description: string;
  category: string;
  nodeCount: number;
}

export interface VersionSummary {
  version: number;
  publishedBy: string;
  publishedAt: string;
  note: string;
  restoredFrom: number | null;
}

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}
export interface DefinitionDiff {
  nodes: {
    added: string[];
    removed: string[];
    changed: Array<{ id: string; changes: FieldChange[] }>;
    moved: string[];
  };
  edges: { added: string[]; removed: string[] };
  settings: FieldChange[];
  identical: boolean;
}

export interface NodeCounts {
  entered: number;
  completed: number;
  failed: number;
  waiting: number;
}
export interface WorkflowStats {
  nodes: Record<string, NodeCounts>;
  runs: Record<string, number>;
}
export interface RunSummary {
  runId: string;
  contactId: string;
  version: number;
  status: string;
  startedAt: string;
}
export interface TimelineEntry {
  messageId: string;
  kind: string;
  nodeId: string;
  status: string;
  branch: string;
  error: { code: string; message: string } | null;
  occurredAt: string;
}
export interface OutboxMail {
  id: number;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

/** An API answer that was not 2xx, with the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: { code?: string; problems?: DefinitionProblem[] } = {},
  ) {
    super(message);
  }
}

export const storedKey = (): string | null => localStorage.getItem(KEY_STORAGE);
export const storeKey = (key: string): void => localStorage.setItem(KEY_STORAGE, key);
export const forgetKey = (): void => localStorage.removeItem(KEY_STORAGE);

export async function request<T>(method: string, path: string, body?: unknown, key = storedKey()): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (json ?? {}) as { message?: string; code?: string; problems?: DefinitionProblem[] };
    throw new ApiError(response.status, error.message ?? `${method} ${path} answered ${response.status}`, error);
  }
  return json as T;
}

export const api = {
  session: (key?: string) =>
    request<{ workspaceId: string; role: string; name: string }>("GET", "/api/session", undefined, key),
  localSession: () => request<{ key: string }>("GET", "/api/session/local", undefined, null),
  workflows: () => request<{ workflows: WorkflowSummary[] }>("GET", "/api/workflows"),
  templates: () => request<{ templates: TemplateEntry[] }>("GET", "/api/templates"),
  createWorkflow: (name: string) => request<Workflow>("POST", "/api/workflows", { name }),
  instantiate: (templateId: string) => request<Workflow>("POST", `/api/templates/${templateId}/instantiate`, {}),
  workflow: (id: string) => request<Workflow>("GET", `/api/workflows/${id}`),
  saveDraft: (id: string, definition: Draft, revision: number) =>
    request<Workflow>("PUT", `/api/workflows/${id}/draft`, { definition, revision }),
  publish: (id: string, note: string) => request<VersionSummary>("POST", `/api/workflows/${id}/publish`, { note }),
  versions: (id: string) => request<{ versions: VersionSummary[] }>("GET", `/api/workflows/${id}/versions`),
  diff: (id: string, from: number | "draft", to: number | "draft") =>
    request<DefinitionDiff>("GET", `/api/workflows/${id}/diff?from=${from}&to=${to}`),
  rollback: (id: string, version: number) =>
    request<VersionSummary>("POST", `/api/workflows/${id}/rollback`, { version }),
  runs: (id: string) => request<{ runs: RunSummary[] }>("GET", `/api/workflows/${id}/runs?limit=30`),
  run: (id: string, runId: string) =>
    request<RunSummary & { timeline: TimelineEntry[] }>(
      "GET",
      `/api/workflows/${id}/runs/${encodeURIComponent(runId)}`,
    ),
  startRuns: (id: string, contactIds: string[]) =>
    request<{ commandId: string }>("POST", `/api/workflows/${id}/runs`, { contactIds }),
  outbox: () => request<{ mails: OutboxMail[] }>("GET", "/api/email/outbox?limit=20"),
};

/** The statistics stream's URL (EventSource cannot send headers: the key goes in the query). */
export const statsStreamUrl = (id: string): string =>
  `/api/workflows/${id}/stats/stream?access_token=${encodeURIComponent(storedKey() ?? "")}`;
