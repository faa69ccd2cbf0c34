import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { NodeCounts } from "./api.js";

export interface FlowNodeData extends Record<string, unknown> {
  kind: string;
  label: string;
  category: string;
  handles: string[];
  isTrigger: boolean;
  problems: string[];
  counts?: NodeCounts;
  diff?: "added" | "changed";
}

export type FlowNodeType = Node<FlowNodeData, "workflow">;

/** One workflow node on the canvas: kind, label, its problems, live counts and one source handle per output. */
export function FlowNode({ id, data, selected }: NodeProps<FlowNodeType>) {
  const invalid = data.problems.length > 0;
  const classes = [
    "flow-node",
    `cat-${data.category}`,
    selected ? "selected" : "",
    invalid ? "invalid" : "",
    data.diff ? `diff-${data.diff}` : "",
  ].join(" ");
  return (
    <div
      className={classes}
      data-testid={`node-${id}`}
      data-invalid={invalid ? "true" : "false"}
      title={data.problems.join("\n")}
    >
      {data.isTrigger ? null : (
        <Handle type="target" position={Position.Top} id="in" aria-label={`input of ${data.label}`} />
      )}
      <div className="flow-node-kind">{data.kind}</div>
      <div className="flow-node-label">{data.label}</div>
      {invalid ? (
        <div className="flow-node-problem" data-testid={`node-problem-${id}`}>
          ⚠ {data.problems[0]}
          {data.problems.length > 1 ? ` (+${data.problems.length - 1})` : ""}
        </div>
      ) : null}
      {data.counts ? (
        <div className="flow-node-counts" data-testid={`counts-${id}`} aria-label="live counts">
          <span title="entered" data-count="entered">
            in {data.counts.entered}
          </span>
          <span title="completed" data-count="completed">
            done {data.counts.completed}
          </span>
          <span title="waiting now" data-count="waiting">
            wait {data.counts.waiting}
          </span>
          <span title="failed" data-count="failed" className={data.counts.failed > 0 ? "failed" : ""}>
            fail {data.counts.failed}
          </span>
        </div>
      ) : null}
      <div className="flow-node-handles">
        {data.handles.map((handle, index) => (
          <Handle
            key={handle}
            type="source"
            position={Position.Bottom}
            id={handle}
            data-testid={`handle-${id}-${handle}`}
            aria-label={`output ${handle} of ${data.label}`}
            style={{ left: `${((index + 1) / (data.handles.length + 1)) * 100}%` }}
          >
            {data.handles.length > 1 || handle !== "next" ? <span className="handle-label">{handle}</span> : null}
          </Handle>
        ))}
      </div>
    </div>
  );
}
