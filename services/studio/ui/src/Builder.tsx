import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { isNodeKind, isTriggerKind, validateDefinition, type DefinitionProblem } from "@cascade/workflow";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import {
  api,
  ApiError,
  statsStreamUrl,
  type DefinitionDiff,
  type Draft,
  type Workflow,
  type WorkflowStats,
} from "./api.js";
import {
  addNode,
  autoLayout,
  commit,
  connect,
  historyOf,
  kindMetadata,
  NODE_HEIGHT,
  NODE_WIDTH,
  redo,
  removeElements,
  sourceHandles,
  undo,
  updateNode,
  type History,
} from "./draft-ops.js";
import { FlowNode, type FlowNodeType } from "./FlowNode.js";
import { DRAG_TYPE, Palette } from "./Palette.js";
import { SidePanel } from "./SidePanel.js";

const nodeTypes = { workflow: FlowNode };
type SaveState = "saved" | "saving" | "unsaved" | "conflict" | "error";

export function Builder(props: { workflow: Workflow; onBack: () => void }) {
  return (
    <ReactFlowProvider>
      <BuilderCanvas {...props} />
    </ReactFlowProvider>
  );
}

function BuilderCanvas(props: { workflow: Workflow; onBack: () => void }) {
  const flow = useReactFlow();
  const [workflow, setWorkflow] = useState(props.workflow);
  const [history, setHistory] = useState<History>(() => historyOf(props.workflow.draft));
  const [selectedNodes, setSelectedNodes] = useState<ReadonlySet<string>>(new Set());
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [saveState, setSaveState] = useState<SaveState>("saved");
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" }>();
  const [stats, setStats] = useState<WorkflowStats>();
  const [diff, setDiff] = useState<DefinitionDiff>();
  // Sizes measured by React Flow; a controlled node without them stays hidden.
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const revision = useRef(props.workflow.draftRevision);
  const dragStart = useRef<Draft | undefined>(undefined);
  const draft = history.present;

  useEffect(() => {
    if (message?.tone !== "ok") return;
    const timer = setTimeout(() => setMessage(undefined), 6_000);
    return () => clearTimeout(timer);
  }, [message]);

  const validation = useMemo(() => validateDefinition(draft), [draft]);
  const problemsByNode = useMemo(() => {
    const map = new Map<string, DefinitionProblem[]>();
    for (const problem of validation.problems)
      if (problem.nodeId) map.set(problem.nodeId, [...(map.get(problem.nodeId) ?? []), problem]);
    return map;
  }, [validation]);

  // Drafts are saved shortly after every change.
  useEffect(() => {
    if (draft === props.workflow.draft && revision.current === props.workflow.draftRevision) return;
    setSaveState("unsaved");
    const timer = setTimeout(() => {
      setSaveState("saving");
      api
        .saveDraft(workflow.workflowId, draft, revision.current)
        .then((saved) => {
          revision.current = saved.draftRevision;
          setWorkflow((current) => ({ ...current, name: saved.name, draftRevision: saved.draftRevision }));
          setSaveState("saved");
        })
        .catch((error: unknown) =>
          setSaveState(error instanceof ApiError && error.status === 409 ? "conflict" : "error"),
        );
    }, 600);
    return () => clearTimeout(timer);
  }, [draft]); // only a draft change schedules a save

  // Live per-node counts while the workflow is published.
  useEffect(() => {
    if (workflow.publishedVersion === null) return;
    const source = new EventSource(statsStreamUrl(workflow.workflowId));
    source.addEventListener("stats", (event) =>
      setStats(JSON.parse((event as MessageEvent<string>).data) as WorkflowStats),
    );
    return () => source.close();
  }, [workflow.workflowId, workflow.publishedVersion]);

  const change = useCallback(
    (next: (current: Draft) => Draft) => setHistory((current) => commit(current, next(current.present))),
    [],
  );
  const doUndo = useCallback(() => setHistory(undo), []);
  const doRedo = useCallback(() => setHistory(redo), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT"))
        return;
      if (!(event.ctrlKey || event.metaKey)) return;
      if (event.key.toLowerCase() === "z" && !event.shiftKey) {
        event.preventDefault();
        doUndo();
      } else if ((event.key.toLowerCase() === "z" && event.shiftKey) || event.key.toLowerCase() === "y") {
        event.preventDefault();
        doRedo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [doUndo, doRedo]);

  const diffMark = (id: string): "added" | "changed" | undefined =>
    diff?.nodes.added.includes(id)
      ? "added"
      : diff?.nodes.changed.some((entry) => entry.id === id)
        ? "changed"
        : undefined;

  const nodes: FlowNodeType[] = draft.nodes.map((node) => ({
    id: node.id,
    type: "workflow",
    position: node.position ?? { x: 0, y: 0 },
    measured: measured[node.id],
    selected: selectedNodes.has(node.id),
    data: {
      kind: node.kind,
      label: node.label ?? node.id,
      category: kindMetadata(node.kind)?.category ?? "unknown",
      handles: sourceHandles(node),
      isTrigger: isNodeKind(node.kind) && isTriggerKind(node.kind),
      problems: (problemsByNode.get(node.id) ?? []).map((problem) => problem.message),
      counts: stats ? (stats.nodes[node.id] ?? { entered: 0, completed: 0, failed: 0, waiting: 0 }) : undefined,
      diff: diffMark(node.id),
    },
  }));
  const edgeProblems = new Set(validation.problems.map((problem) => problem.edgeId).filter(Boolean));
  const edges: Edge[] = draft.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceHandle: edge.sourceHandle ?? "next",
    targetHandle: "in",
    selected: selectedEdges.has(edge.id),
    label: edge.sourceHandle && edge.sourceHandle !== "next" ? edge.sourceHandle : undefined,
    className: edgeProblems.has(edge.id)
      ? "edge-invalid"
      : diff?.edges.added.includes(edge.id)
        ? "edge-added"
        : undefined,
  }));

  const onNodesChange = (changes: NodeChange<FlowNodeType>[]): void => {
    let nextSelected: Set<string> | undefined;
    for (const item of changes) {
      if (item.type === "dimensions" && item.dimensions) {
        const size = item.dimensions;
        setMeasured((current) =>
          current[item.id]?.width === size.width && current[item.id]?.height === size.height
            ? current
            : { ...current, [item.id]: size },
        );
      } else if (item.type === "select") {
        nextSelected ??= new Set(selectedNodes);
        if (item.selected) nextSelected.add(item.id);
        else nextSelected.delete(item.id);
      } else if (item.type === "position" && item.position) {
        const position = { x: Math.round(item.position.x), y: Math.round(item.position.y) };
        if (item.dragging && dragStart.current === undefined) dragStart.current = history.present;
        setHistory((current) => ({ ...current, present: updateNode(current.present, item.id, { position }) }));
        if (!item.dragging && dragStart.current) {
          const before = dragStart.current;
          dragStart.current = undefined;
          setHistory((current) => ({
            past: [...current.past.slice(-99), before],
            present: current.present,
            future: [],
          }));
        }
      }
    }
    if (nextSelected) setSelectedNodes(nextSelected);
  };
  const onEdgesChange = (changes: EdgeChange[]): void => {
    let next: Set<string> | undefined;
    for (const item of changes) {
      if (item.type !== "select") continue;
      next ??= new Set(selectedEdges);
      if (item.selected) next.add(item.id);
      else next.delete(item.id);
    }
    if (next) setSelectedEdges(next);
  };
  const onDelete = ({ nodes: deletedNodes, edges: deletedEdges }: { nodes: FlowNodeType[]; edges: Edge[] }): void => {
    change((current) =>
      removeElements(
        current,
        new Set(deletedNodes.map((node) => node.id)),
        new Set(deletedEdges.map((edge) => edge.id)),
      ),
    );
    setSelectedNodes(new Set());
    setSelectedEdges(new Set());
  };
  const onConnect = (connection: Connection): void =>
    change((current) => connect(current, connection.source, connection.target, connection.sourceHandle));

  const place = (kind: string, position: { x: number; y: number }): void => {
    let added = "";
    change((current) => {
      const result = addNode(current, kind, position);
      added = result.id;
      return result.draft;
    });
    setTimeout(() => setSelectedNodes(new Set([added])), 0);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    const kind = event.dataTransfer.getData(DRAG_TYPE);
    if (!kind) return;
    event.preventDefault();
    const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    place(kind, { x: Math.round(point.x - NODE_WIDTH / 2), y: Math.round(point.y - NODE_HEIGHT / 2) });
  };
  const addAtCenter = (kind: string): void => {
    const bounds = document.querySelector(".canvas")?.getBoundingClientRect();
    const point = flow.screenToFlowPosition({
      x: (bounds?.left ?? 0) + (bounds?.width ?? 600) / 2,
      y: (bounds?.top ?? 0) + (bounds?.height ?? 400) / 2,
    });
    place(kind, { x: Math.round(point.x - NODE_WIDTH / 2), y: Math.round(point.y - NODE_HEIGHT / 2) });
  };

  const publish = async (): Promise<void> => {
    setMessage(undefined);
    try {
      if (saveState !== "saved")
        revision.current = (await api.saveDraft(workflow.workflowId, draft, revision.current)).draftRevision;
      const version = await api.publish(workflow.workflowId, "");
      setWorkflow((current) => ({ ...current, publishedVersion: version.version, status: "published" }));
      setSaveState("saved");
      setMessage({ text: `Published version ${version.version}`, tone: "ok" });
    } catch (error) {
      setMessage({ text: error instanceof Error ? error.message : String(error), tone: "error" });
    }
  };

  const reload = async (): Promise<void> => {
    const fresh = await api.workflow(workflow.workflowId);
    revision.current = fresh.draftRevision;
    setWorkflow(fresh);
    setHistory(historyOf(fresh.draft));
    setSaveState("saved");
  };

  const selected = draft.nodes.find((node) => selectedNodes.has(node.id) && selectedNodes.size === 1);

  return (
    <div className="builder">
      <header className="toolbar" role="toolbar" aria-label="Workflow actions">
        <button type="button" onClick={props.onBack} aria-label="Back to workflows">
          ← Workflows
        </button>
        <h1 className="workflow-name">{draft.name || workflow.name}</h1>
        <span className={`badge status-${workflow.status}`} data-testid="workflow-status">
          {workflow.status}
          {workflow.publishedVersion !== null ? ` v${workflow.publishedVersion}` : ""}
        </span>
        <span className={`save-state ${saveState}`} data-testid="save-state" aria-live="polite">
          {saveState === "saved"
            ? "Draft saved"
            : saveState === "saving"
              ? "Saving…"
              : saveState === "unsaved"
                ? "Unsaved changes"
                : saveState === "conflict"
                  ? "Changed elsewhere: reload"
                  : "Save failed"}
        </span>
        {saveState === "conflict" ? (
          <button type="button" onClick={() => void reload()}>
            Reload
          </button>
        ) : null}
        <div className="spacer" />
        <button type="button" onClick={doUndo} disabled={history.past.length === 0} aria-label="Undo (Ctrl+Z)">
          ↶ Undo
        </button>
        <button type="button" onClick={doRedo} disabled={history.future.length === 0} aria-label="Redo (Ctrl+Shift+Z)">
          ↷ Redo
        </button>
        <button
          type="button"
          onClick={() => {
            change(autoLayout);
            setTimeout(() => void flow.fitView({ padding: 0.2 }), 50);
          }}
        >
          Auto-layout
        </button>
        <span className={`validity ${validation.ok ? "ok" : "bad"}`} data-testid="validity">
          {validation.ok
            ? "✓ Valid"
            : `⚠ ${validation.problems.length} problem${validation.problems.length === 1 ? "" : "s"}`}
        </span>
        <button
          type="button"
          className="primary"
          onClick={() => void publish()}
          disabled={!validation.ok}
          data-testid="publish"
        >
          Publish
        </button>
      </header>
      {message ? (
        <div className={`banner ${message.tone}`} role="status" data-testid="banner">
          {message.text}
        </div>
      ) : null}
      <div className="builder-body">
        <Palette onAdd={addAtCenter} />
        <div
          className="canvas"
          onDragOver={(event) => {
            event.preventDefault();
            event.dataTransfer.dropEffect = "move";
          }}
          onDrop={onDrop}
          data-testid="canvas"
        >
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onDelete={onDelete}
            deleteKeyCode={["Backspace", "Delete"]}
            fitView={props.workflow.draft.nodes.length > 0}
            fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
            minZoom={0.2}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls aria-label="Zoom controls" />
            <MiniMap pannable zoomable ariaLabel="Minimap" />
          </ReactFlow>
        </div>
        <SidePanel
          workflow={workflow}
          draft={draft}
          selected={selected}
          problems={validation.problems}
          stats={stats}
          onChangeDraft={change}
          onSelectNode={(id) => setSelectedNodes(new Set([id]))}
          onShowDiff={setDiff}
          diff={diff}
          onRolledBack={async (version) => {
            await reload();
            setMessage({ text: `Rolled back: published version ${version}`, tone: "ok" });
          }}
        />
      </div>
    </div>
  );
}
