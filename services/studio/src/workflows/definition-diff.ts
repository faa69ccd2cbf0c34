/**
 * What changed between two workflow definitions, for the version history's visual diff: nodes added,
 * removed, changed (with the paths of the fields that differ) or only moved; edges added and removed;
 * name and settings. Works on any JSON (drafts may be invalid), comparing nodes by id and edges by id.
 */
export interface FieldChange {
  /** Path inside the node, e.g. `label`, `config.subject`, `config.cases[1].equals`. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface DefinitionDiff {
  nodes: {
    added: string[];
    removed: string[];
    changed: Array<{ id: string; changes: FieldChange[] }>;
    /** Same content, new position on the canvas. */
    moved: string[];
  };
  edges: { added: string[]; removed: string[] };
  name?: { before: unknown; after: unknown };
  settings: FieldChange[];
  /** True when nothing but positions changed (or nothing at all). */
  identical: boolean;
}

type JsonRecord = Record<string, unknown>;

const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function byId(list: unknown): Map<string, JsonRecord> {
  const entries = new Map<string, JsonRecord>();
  if (!Array.isArray(list)) return entries;
  for (const item of list) if (isRecord(item) && typeof item.id === "string") entries.set(item.id, item);
  return entries;
}

/** Every leaf path where `before` and `after` differ (arrays compared index by index). */
export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (Object.is(before, after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: FieldChange[] = [];
    for (let index = 0; index < Math.max(before.length, after.length); index += 1) {
      changes.push(...fieldChanges(before[index], after[index], `${path}[${index}]`));
    }
    return changes;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], path === "" ? key : `${path}.${key}`));
  }
  return [{ path: path === "" ? "(value)" : path, before, after }];
}

/** Edges compare by their endpoints too, so an edge re-pointed under the same id shows as removed + added. */
function edgeKey(edge: JsonRecord): string {
  return `${String(edge.id)}|${String(edge.source)}|${String(edge.sourceHandle ?? "")}|${String(edge.target)}`;
}

export function diffDefinitions(before: unknown, after: unknown): DefinitionDiff {
  const a = isRecord(before) ? before : {};
  const b = isRecord(after) ? after : {};
  const nodesA = byId(a.nodes);
  const nodesB = byId(b.nodes);
  const added = [...nodesB.keys()].filter((id) => !nodesA.has(id));
  const removed = [...nodesA.keys()].filter((id) => !nodesB.has(id));
  const changed: DefinitionDiff["nodes"]["changed"] = [];
  const moved: string[] = [];
  for (const [id, nodeB] of nodesB) {
    const nodeA = nodesA.get(id);
    if (!nodeA) continue;
    const { position: positionA, ...contentA } = nodeA;
    const { position: positionB, ...contentB } = nodeB;
    const changes = fieldChanges(contentA, contentB);
    if (changes.length > 0) changed.push({ id, changes });
    else if (fieldChanges(positionA, positionB).length > 0) moved.push(id);
  }
  const edgesA = new Map([...byId(a.edges).values()].map((edge) => [edgeKey(edge), edge]));
  const edgesB = new Map([...byId(b.edges).values()].map((edge) => [edgeKey(edge), edge]));
  const edgesAdded = [...edgesB.entries()].filter(([key]) => !edgesA.has(key)).map(([, edge]) => String(edge.id));
  const edgesRemoved = [...edgesA.entries()].filter(([key]) => !edgesB.has(key)).map(([, edge]) => String(edge.id));
  const settings = fieldChanges(a.settings, b.settings, "settings");
  const name = Object.is(a.name, b.name) ? undefined : { before: a.name, after: b.name };
  const identical =
    added.length + removed.length + changed.length + edgesAdded.length + edgesRemoved.length + settings.length === 0 &&
    name === undefined &&
    fieldChanges(a.description, b.description).length === 0;
  return {
    nodes: { added, removed, changed, moved },
    edges: { added: edgesAdded, removed: edgesRemoved },
    name,
    settings,
    identical,
  };
}
