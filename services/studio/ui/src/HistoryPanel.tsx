import { useEffect, useState } from "react";
import { api, type DefinitionDiff, type VersionSummary, type Workflow } from "./api.js";

const show = (value: unknown): string => (value === undefined ? "—" : JSON.stringify(value));

/** Published versions; compare one with the draft (highlighted on the canvas) or roll back to it. */
export function HistoryPanel(props: {
  workflow: Workflow;
  diff: DefinitionDiff | undefined;
  onShowDiff: (diff: DefinitionDiff | undefined) => void;
  onRolledBack: (version: number) => Promise<void>;
}) {
  const [versions, setVersions] = useState<VersionSummary[]>();
  const [error, setError] = useState<string>();
  const [compared, setCompared] = useState<number>();
  const [confirming, setConfirming] = useState<number>();
  useEffect(() => {
    api.versions(props.workflow.workflowId).then(
      (answer) => setVersions(answer.versions),
      (cause: Error) => setError(cause.message),
    );
  }, [props.workflow.workflowId, props.workflow.publishedVersion]);
  if (error) return <p className="field-error">{error}</p>;
  if (!versions) return <p className="muted">Loading…</p>;
  if (versions.length === 0) return <p className="empty">Nothing published yet. Publish to create version 1.</p>;
  const compare = async (version: number): Promise<void> => {
    setCompared(version);
    props.onShowDiff(await api.diff(props.workflow.workflowId, version, "draft"));
  };
  return (
    <div className="history">
      <ol className="versions">
        {versions.map((version) => (
          <li key={version.version} data-testid={`version-${version.version}`}>
            <strong>v{version.version}</strong> {new Date(version.publishedAt).toLocaleString()} by{" "}
            {version.publishedBy}
            {version.restoredFrom !== null ? (
              <span className="muted"> (rollback to v{version.restoredFrom})</span>
            ) : null}
            {version.note ? <div className="muted">{version.note}</div> : null}
            <div className="row">
              <button type="button" onClick={() => void compare(version.version)}>
                Compare with draft
              </button>
              {confirming === version.version ? (
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    setConfirming(undefined);
                    api.rollback(props.workflow.workflowId, version.version).then(
                      (published) => props.onRolledBack(published.version),
                      (cause: Error) => setError(cause.message),
                    );
                  }}
                >
                  Confirm: publish v{version.version} again
                </button>
              ) : (
                <button type="button" onClick={() => setConfirming(version.version)}>
                  Roll back to v{version.version}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
      {props.diff && compared !== undefined ? (
        <section className="diff" aria-label={`Changes from v${compared} to the draft`} data-testid="diff">
          <h3>
            v{compared} → draft{" "}
            <button type="button" className="link" onClick={() => props.onShowDiff(undefined)}>
              clear
            </button>
          </h3>
          {props.diff.identical ? <p className="muted">No changes (except maybe positions).</p> : null}
          {props.diff.nodes.added.map((id) => (
            <div key={`a-${id}`} className="diff-added">
              + node {id}
            </div>
          ))}
          {props.diff.nodes.removed.map((id) => (
            <div key={`r-${id}`} className="diff-removed">
              − node {id}
            </div>
          ))}
          {props.diff.nodes.changed.map((entry) => (
            <div key={`c-${entry.id}`} className="diff-changed">
              ~ node {entry.id}
              <ul>
                {entry.changes.map((fieldChange) => (
                  <li key={fieldChange.path}>
                    <code>{fieldChange.path}</code>: {show(fieldChange.before)} → {show(fieldChange.after)}
                  </li>
                ))}
              </ul>
            </div>
          ))}
          {props.diff.edges.added.map((id) => (
            <div key={`ea-${id}`} className="diff-added">
              + edge {id}
            </div>
          ))}
          {props.diff.edges.removed.map((id) => (
            <div key={`er-${id}`} className="diff-removed">
              − edge {id}
            </div>
          ))}
          {props.diff.settings.map((fieldChange) => (
            <div key={fieldChange.path} className="diff-changed">
              ~ <code>{fieldChange.path}</code>: {show(fieldChange.before)} → {show(fieldChange.after)}
            </div>
          ))}
        </section>
      ) : null}
    </div>
  );
}
