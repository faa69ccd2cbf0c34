import type { Role } from "../auth/roles.js";

type Json = Record<string, unknown>;

interface Operation {
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  role: Role | "none";
  body?: Json;
  query?: Record<string, { schema: Json; description: string }>;
  ok: number;
  description?: string;
}

const obj = (properties: Record<string, Json>, required: string[] = []): Json => ({
  type: "object",
  properties,
  required,
});
const str = { type: "string" };
const int = { type: "integer" };
const definition = { type: "object", description: "A workflow definition (see libs/workflow/README.md)." };

const OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/session",
    summary: "Who the key belongs to: workspace, role, name.",
    role: "viewer",
    ok: 200,
  },
  {
    method: "get",
    path: "/api/session/local",
    summary:
      "The default workspace's admin key, for browsers on this machine (loopback, no proxy headers; STUDIO_LOCAL_LOGIN).",
    role: "none",
    ok: 200,
  },
  {
    method: "get",
    path: "/api/node-kinds",
    summary: "Every node kind: category, handles, config JSON Schema.",
    role: "viewer",
    ok: 200,
  },
  {
    method: "get",
    path: "/api/templates",
    summary: "The shipped templates with their definitions.",
    role: "viewer",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/templates/{templateId}/instantiate",
    summary: "Create a draft workflow from a template.",
    role: "editor",
    body: obj({ workflowId: str, name: str, description: str }),
    ok: 200,
  },
  { method: "get", path: "/api/workflows", summary: "Workflows of the workspace.", role: "viewer", ok: 200 },
  {
    method: "post",
    path: "/api/workflows",
    summary: "Create a workflow (empty, or from a definition).",
    role: "editor",
    body: obj({ workflowId: str, name: str, description: str, definition }),
    ok: 201,
  },
  {
    method: "get",
    path: "/api/workflows/{workflowId}",
    summary: "A workflow with its draft and the draft's problems.",
    role: "viewer",
    ok: 200,
  },
  {
    method: "put",
    path: "/api/workflows/{workflowId}/draft",
    summary: "Replace the draft (may be invalid); 409 when `revision` is not the current one.",
    role: "editor",
    body: obj({ definition, revision: int }, ["definition"]),
    ok: 200,
  },
  {
    method: "post",
    path: "/api/workflows/{workflowId}/validate",
    summary: "Validate the given definition, or the draft: `{ ok, problems }`.",
    role: "viewer",
    body: obj({ definition }),
    ok: 200,
  },
  {
    method: "post",
    path: "/api/workflows/{workflowId}/publish",
    summary:
      "Publish the draft as the next immutable version (422 with problems when invalid); emits workflow.definitions.v1.",
    role: "publisher",
    body: obj({ note: str }),
    ok: 201,
  },
  {
    method: "post",
    path: "/api/workflows/{workflowId}/rollback",
    summary: "Publish an older version's definition anew as the next version (and make it the draft).",
    role: "publisher",
    body: obj({ version: int, note: str }, ["version"]),
    ok: 201,
  },
  {
    method: "post",
    path: "/api/workflows/{workflowId}/archive",
    summary: "Stop new runs (status ARCHIVED on workflow.definitions.v1).",
    role: "publisher",
    ok: 204,
  },
  {
    method: "get",
    path: "/api/workflows/{workflowId}/versions",
    summary: "Published versions, newest first.",
    role: "viewer",
    ok: 200,
  },
  {
    method: "get",
    path: "/api/workflows/{workflowId}/versions/{version}",
    summary: "One version with its definition.",
    role: "viewer",
    ok: 200,
  },
  {
    method: "get",
    path: "/api/workflows/{workflowId}/diff",
    summary: "Nodes added / removed / changed / moved, edges added / removed, settings changed.",
    role: "viewer",
    query: {
      from: { schema: str, description: "a version number or `draft`" },
      to: { schema: str, description: "a version number or `draft` (default)" },
    },
    ok: 200,
  },
  {
    method: "post",
    path: "/api/workflows/{workflowId}/runs",
    summary:
      "Start runs by hand: a ManualStart command on workflow.commands.v1 for `contactIds` or a `filter` expression.",
    role: "publisher",
    body: obj({ contactIds: { type: "array", items: str }, filter: str, version: int, payload: { type: "object" } }),
    ok: 202,
  },
  {
    method: "get",
    path: "/api/workflows/{workflowId}/runs",
    summary: "Runs of the workflow, newest first.",
    role: "viewer",
    query: {
      limit: { schema: int, description: "1-500, default 50" },
      status: { schema: str, description: "running, waiting, completed, failed, cancelled, exited" },
    },
    ok: 200,
  },
  {
    method: "get",
    path: "/api/workflows/{workflowId}/runs/{runId}",
    summary: "One run with its timeline.",
    role: "viewer",
    ok: 200,
  },
  {
    method: "get",
    path: "/api/workflows/{workflowId}/stats",
    summary: "Per-node counts (entered, completed, failed, waiting) and runs by status.",
    role: "viewer",
    query: { version: { schema: int, description: "one version; default every version summed" } },
    ok: 200,
  },
  {
    method: "get",
    path: "/api/workflows/{workflowId}/stats/stream",
    summary:
      "The statistics as server-sent events (`event: stats`). Takes the key as `?access_token=` too (EventSource cannot set headers).",
    role: "viewer",
    query: {
      version: { schema: int, description: "one version" },
      access_token: { schema: str, description: "the API key" },
    },
    ok: 200,
  },
  {
    method: "get",
    path: "/api/keys",
    summary: "API keys of the workspace (without secrets).",
    role: "publisher",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/keys",
    summary:
      "Create a key with a role; the secret is shown once. Only the installation key may name another workspace.",
    role: "publisher",
    body: obj({ name: str, role: { type: "string", enum: ["viewer", "editor", "publisher"] }, workspaceId: str }, [
      "name",
      "role",
    ]),
    ok: 201,
  },
  { method: "delete", path: "/api/keys/{keyId}", summary: "Revoke a key.", role: "publisher", ok: 204 },
  { method: "get", path: "/api/docs", summary: "This document.", role: "viewer", ok: 200 },
];

const errorResponse = {
  description: "Error: `{ statusCode, code, message, issues?: [{ field, message }], problems?: DefinitionProblem[] }`",
  content: { "application/json": { schema: obj({ statusCode: int, code: str, message: str }) } },
};

/** The studio API as an OpenAPI 3.1 document (served at GET /api/docs). */
export function studioOpenApi(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of OPERATIONS) {
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
        name: match[1],
        in: "path",
        required: true,
        schema: str,
      })),
      ...Object.entries(op.query ?? {}).map(([name, spec]) => ({
        name,
        in: "query",
        required: false,
        schema: spec.schema,
        description: spec.description,
      })),
    ];
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      description: op.role === "none" ? "No key needed." : `Needs a key with role ${op.role} or above.`,
      ...(op.role === "none" ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
      responses: {
        [String(op.ok)]: { description: "OK" },
        "400": errorResponse,
        "401": errorResponse,
        "403": errorResponse,
        "404": errorResponse,
        ...(op.path.endsWith("/publish") || op.path.endsWith("/rollback") ? { "422": errorResponse } : {}),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Cascade studio API",
      version: "1.0.0",
      description:
        "Workflows, versions, templates, manual starts, runs and live statistics. Authenticate with `Authorization: Bearer <key>`: the default workspace's admin key (CASCADE_ADMIN_KEY, a publisher) or a key created at /api/keys. Roles: viewer (read) < editor (drafts) < publisher (publish, roll back, start runs, keys).",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
