import { useEffect, useState } from "react";
import { api, type RunSummary, type TimelineEntry, type Workflow, type WorkflowStats } from "./api.js";

/** Runs of the workflow (refreshed as statistics arrive), a run's timeline, and a manual start. */
export function RunsPanel(props: { workflow: Workflow; stats: WorkflowStats | undefined }) {
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [open, setOpen] = useState<RunSummary & { timeline: TimelineEntry[] }>();
  const [contacts, setContacts] = useState("");
  const [note, setNote] = useState<string>();
  const id = props.workflow.workflowId;
  useEffect(() => {
    api.runs(id).then(
      (answer) => setRuns(answer.runs),
      () => setRuns([]),
    );
  }, [id, props.stats]);
  const start = async (): Promise<void> => {
    const contactIds = contacts
      .split(",")
      .map((value) => value.trim())
      .filter(Boolean);
    try {
      await api.startRuns(id, contactIds);
      setNote(`Start requested for ${contactIds.length} contact(s)`);
    } catch (error) {
      setNote((error as Error).message);
    }
  };
  const runCounts = Object.entries(props.stats?.runs ?? {});
  return (
    <div className="runs">
      {props.workflow.publishedVersion === null ? (
        <p className="empty">Publish the workflow to start runs; they show up here as they arrive.</p>
      ) : null}
      {runCounts.length > 0 ? (
        <p data-testid="run-counts">
          {runCounts.map(([status, count]) => (
            <span key={status} className={`badge run-${status}`}>
              {status}: {count}
            </span>
          ))}
        </p>
      ) : null}
      {props.workflow.publishedVersion !== null ? (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          <label htmlFor="manual-contacts" className="sr-only">
            Contact ids to start
          </label>
          <input
            id="manual-contacts"
            placeholder="contact ids, comma-separated"
            value={contacts}
            onChange={(event) => setContacts(event.target.value)}
          />
          <button type="submit" disabled={contacts.trim() === ""}>
            Start
          </button>
        </form>
      ) : null}
      {note ? <p className="muted">{note}</p> : null}
      <ul className="run-list">
        {runs.map((run) => (
          <li key={run.runId}>
            <button type="button" className="link" onClick={() => void api.run(id, run.runId).then(setOpen)}>
              {run.contactId || run.runId}
            </button>{" "}
            <span className={`badge run-${run.status}`}>{run.status}</span>{" "}
            <span className="muted">
              v{run.version} · {new Date(run.startedAt).toLocaleTimeString()}
            </span>
          </li>
        ))}
      </ul>
      {open ? (
        <section aria-label={`Timeline of run ${open.runId}`} className="timeline">
          <h3>Run {open.runId}</h3>
          <ol>
            {open.timeline.map((entry) => (
              <li key={entry.messageId}>
                <span className="muted">{new Date(entry.occurredAt).toLocaleTimeString()}</span>{" "}
                {entry.kind.replace(/_/g, " ")} {entry.nodeId}
                {entry.branch ? ` → ${entry.branch}` : ""}
                {entry.error ? (
                  <span className="field-error">
                    {" "}
                    {entry.error.code}: {entry.error.message}
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
