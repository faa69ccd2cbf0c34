import type { DefinitionProblem } from "@cascade/workflow";
import { useState } from "react";
import type { DefinitionDiff, Draft, DraftNode, Workflow, WorkflowStats } from "./api.js";
import { kindMetadata, updateNode } from "./draft-ops.js";
import { ExpressionInput } from "./ExpressionInput.js";
import { HistoryPanel } from "./HistoryPanel.js";
import { OutboxPanel } from "./OutboxPanel.js";
import { RunsPanel } from "./RunsPanel.js";
import { SchemaForm, TextField, type JsonSchema } from "./SchemaForm.js";

const TABS = ["Edit", "Problems", "History", "Runs", "Outbox"] as const;
type Tab = (typeof TABS)[number];

export interface SidePanelProps {
  workflow: Workflow;
  draft: Draft;
  selected: DraftNode | undefined;
  problems: readonly DefinitionProblem[];
  stats: WorkflowStats | undefined;
  diff: DefinitionDiff | undefined;
  onChangeDraft: (change: (current: Draft) => Draft) => void;
  onSelectNode: (id: string) => void;
  onShowDiff: (diff: DefinitionDiff | undefined) => void;
  onRolledBack: (version: number) => Promise<void>;
}

/** The right-hand panel: the selected node's form (or the workflow's settings), problems, history, runs, outbox. */
export function SidePanel(props: SidePanelProps) {
  const [tab, setTab] = useState<Tab>("Edit");
  return (
    <aside className="side-panel" aria-label="Details">
      <div role="tablist" aria-label="Panels" className="tabs">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            className={tab === name ? "active" : ""}
            onClick={() => setTab(name)}
          >
            {name}
            {name === "Problems" && props.problems.length > 0 ? (
              <span className="count">{props.problems.length}</span>
            ) : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="panel-body">
        {tab === "Edit" ? (
          props.selected ? (
            <NodeForm
              key={props.selected.id}
              node={props.selected}
              problems={props.problems}
              onChange={(change) => props.onChangeDraft((draft) => updateNode(draft, props.selected!.id, change))}
            />
          ) : (
            <SettingsForm
              draft={props.draft}
              problems={props.problems}
              onChange={(change) => props.onChangeDraft((draft) => ({ ...draft, ...change }))}
            />
          )
        ) : null}
        {tab === "Problems" ? (
          <ProblemList
            problems={props.problems}
            onSelectNode={(id) => {
              props.onSelectNode(id);
              setTab("Edit");
            }}
          />
        ) : null}
        {tab === "History" ? (
          <HistoryPanel
            workflow={props.workflow}
            diff={props.diff}
            onShowDiff={props.onShowDiff}
            onRolledBack={props.onRolledBack}
          />
        ) : null}
        {tab === "Runs" ? <RunsPanel workflow={props.workflow} stats={props.stats} /> : null}
        {tab === "Outbox" ? <OutboxPanel /> : null}
      </div>
    </aside>
  );
}

function NodeForm(props: {
  node: DraftNode;
  problems: readonly DefinitionProblem[];
  onChange: (change: Partial<DraftNode>) => void;
}) {
  const { node } = props;
  const meta = kindMetadata(node.kind);
  const mine = props.problems.filter((problem) => problem.nodeId === node.id);
  const errorsFor = (path: string): string[] =>
    mine
      .filter((problem) => problem.path?.endsWith(`.config.${path}`) || problem.path?.endsWith(`.config[${path}]`))
      .map((problem) => problem.message);
  const general = mine.filter((problem) => !problem.path?.includes(".config."));
  return (
    <form
      className="node-form"
      aria-label={`Configure ${node.label ?? node.id}`}
      onSubmit={(event) => event.preventDefault()}
    >
      <h2>{meta?.label ?? node.kind}</h2>
      <p className="muted">{meta?.description}</p>
      <p className="muted">
        id <code>{node.id}</code> · kind <code>{node.kind}</code>
      </p>
      <TextField label="Label" value={node.label ?? ""} onChange={(label) => props.onChange({ label })} />
      {meta ? (
        <SchemaForm
          schema={meta.configJsonSchema as JsonSchema}
          value={node.config ?? {}}
          onChange={(config) => props.onChange({ config })}
          errorsFor={errorsFor}
        />
      ) : (
        <p className="field-error">Unknown node kind {node.kind}</p>
      )}
      {general.map((problem, index) => (
        <div key={index} className="field-error" role="alert">
          {problem.message}
        </div>
      ))}
    </form>
  );
}

function SettingsForm(props: {
  draft: Draft;
  problems: readonly DefinitionProblem[];
  onChange: (change: Partial<Draft>) => void;
}) {
  const settings = props.draft.settings ?? {};
  const reentry = (settings.reentry ?? {}) as { policy?: string; periodDays?: number };
  const setSettings = (change: Record<string, unknown>): void =>
    props.onChange({ settings: { ...settings, ...change } });
  const goalProblem = props.problems.find((problem) => problem.path === "settings.goal")?.message;
  return (
    <form className="node-form" aria-label="Workflow settings" onSubmit={(event) => event.preventDefault()}>
      <h2>Workflow</h2>
      <p className="muted">
        Select a node to edit it. Drag nodes from the palette; connect an output (bottom) to an input (top).
      </p>
      <TextField label="Name" value={props.draft.name ?? ""} onChange={(name) => props.onChange({ name })} required />
      <TextField
        label="Description"
        long
        value={typeof props.draft.description === "string" ? props.draft.description : ""}
        onChange={(description) => props.onChange({ description })}
      />
      <div className="field">
        <label htmlFor="reentry-policy">Re-entry</label>
        <select
          id="reentry-policy"
          value={reentry.policy ?? "once"}
          onChange={(event) => setSettings({ reentry: { ...reentry, policy: event.target.value } })}
        >
          <option value="once">once per contact</option>
          <option value="once_per_period">once per period</option>
          <option value="always">every time</option>
        </select>
      </div>
      <ExpressionInput
        label="Goal"
        value={typeof settings.goal === "string" ? settings.goal : ""}
        extraError={goalProblem}
        onChange={(goal) => {
          const next: Record<string, unknown> = { ...settings, goal };
          if (goal === "") delete next.goal;
          props.onChange({ settings: next });
        }}
      />
    </form>
  );
}

function ProblemList(props: { problems: readonly DefinitionProblem[]; onSelectNode: (id: string) => void }) {
  if (props.problems.length === 0) return <p className="empty">No problems: the workflow can be published.</p>;
  return (
    <ul className="problems" data-testid="problem-list">
      {props.problems.map((problem, index) => (
        <li key={index}>
          <code>{problem.code}</code> {problem.message}
          {problem.nodeId ? (
            <button type="button" className="link" onClick={() => props.onSelectNode(problem.nodeId!)}>
              show {problem.nodeId}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
