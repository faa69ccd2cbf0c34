import { useEffect, useState } from "react";
import { api, forgetKey, storedKey, storeKey, type TemplateEntry, type Workflow, type WorkflowSummary } from "./api.js";
import { Builder } from "./Builder.js";

type Route = { page: "home" } | { page: "workflow"; id: string };

const routeOf = (hash: string): Route => {
  const match = /^#\/workflows\/([^/]+)$/.exec(hash);
  return match?.[1] ? { page: "workflow", id: decodeURIComponent(match[1]) } : { page: "home" };
};

/** Sign-in, the workflow list with the template gallery, and the builder (`#/workflows/<id>`). */
export function App() {
  const [signedIn, setSignedIn] = useState<boolean>();
  const [route, setRoute] = useState<Route>(() => routeOf(location.hash));

  useEffect(() => {
    const onHash = (): void => setRoute(routeOf(location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    const existing = storedKey();
    const attempt = existing
      ? api.session(existing).then(
          () => true,
          () => false,
        )
      : Promise.resolve(false);
    void attempt.then(async (ok) => {
      if (ok) return setSignedIn(true);
      try {
        const local = await api.localSession();
        storeKey(local.key);
        setSignedIn(true);
      } catch {
        forgetKey();
        setSignedIn(false);
      }
    });
  }, []);

  if (signedIn === undefined) return <p className="loading">Loading…</p>;
  if (!signedIn) return <Login onSignedIn={() => setSignedIn(true)} />;
  if (route.page === "workflow") return <WorkflowLoader id={route.id} />;
  return <Home />;
}

function Login(props: { onSignedIn: () => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string>();
  return (
    <main className="login">
      <h1>Cascade studio</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          api.session(key.trim()).then(
            () => {
              storeKey(key.trim());
              props.onSignedIn();
            },
            (cause: Error) => setError(cause.message),
          );
        }}
      >
        <label htmlFor="api-key">API key</label>
        <p className="muted">
          The admin key is printed when Cascade starts (CASCADE_ADMIN_KEY), or ask a publisher for a key.
        </p>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(event) => setKey(event.target.value)}
        />
        <button type="submit" className="primary" disabled={key.trim() === ""}>
          Sign in
        </button>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}

const open = (id: string): void => {
  location.hash = `#/workflows/${encodeURIComponent(id)}`;
};

function Home() {
  const [workflows, setWorkflows] = useState<WorkflowSummary[]>();
  const [templates, setTemplates] = useState<TemplateEntry[]>([]);
  const [error, setError] = useState<string>();
  const [name, setName] = useState("");
  useEffect(() => {
    api.workflows().then(
      (answer) => setWorkflows(answer.workflows),
      (cause: Error) => setError(cause.message),
    );
    api.templates().then(
      (answer) => setTemplates(answer.templates),
      (cause: Error) => setError(cause.message),
    );
  }, []);
  const fail = (cause: Error): void => setError(cause.message);
  return (
    <main className="home">
      <header className="home-header">
        <h1>Cascade studio</h1>
        <button
          type="button"
          onClick={() => {
            forgetKey();
            location.reload();
          }}
        >
          Sign out
        </button>
      </header>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <section aria-labelledby="templates-title">
        <h2 id="templates-title">Start from a template</h2>
        <div className="gallery">
          {templates.map((template) => (
            <article key={template.id} className="template-card" data-testid={`template-${template.id}`}>
              <h3>{template.name}</h3>
              <p className="muted">
                {template.category.replace(/_/g, " ")} · {template.nodeCount} nodes
              </p>
              <p>{template.description}</p>
              <button
                type="button"
                className="primary"
                onClick={() => api.instantiate(template.id).then((workflow) => open(workflow.workflowId), fail)}
                aria-label={`Use template ${template.name}`}
              >
                Use this template
              </button>
            </article>
          ))}
          <article className="template-card blank">
            <h3>Empty canvas</h3>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                api
                  .createWorkflow(name.trim() || "Untitled workflow")
                  .then((workflow) => open(workflow.workflowId), fail);
              }}
            >
              <label htmlFor="new-name">Name</label>
              <input
                id="new-name"
                value={name}
                onChange={(event) => setName(event.target.value)}
                placeholder="My workflow"
              />
              <button type="submit" className="primary" data-testid="create-blank">
                Create empty workflow
              </button>
            </form>
          </article>
        </div>
      </section>
      <section aria-labelledby="workflows-title">
        <h2 id="workflows-title">Your workflows</h2>
        {workflows === undefined ? <p className="muted">Loading…</p> : null}
        {workflows?.length === 0 ? <p className="empty">No workflows yet: pick a template above.</p> : null}
        <ul className="workflow-list">
          {workflows?.map((workflow) => (
            <li key={workflow.workflowId}>
              <a href={`#/workflows/${encodeURIComponent(workflow.workflowId)}`}>{workflow.name}</a>{" "}
              <span className={`badge status-${workflow.status}`}>
                {workflow.status}
                {workflow.publishedVersion !== null ? ` v${workflow.publishedVersion}` : ""}
              </span>{" "}
              {workflow.valid ? null : <span className="badge invalid">draft has problems</span>}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

function WorkflowLoader(props: { id: string }) {
  const [workflow, setWorkflow] = useState<Workflow>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setWorkflow(undefined);
    api.workflow(props.id).then(setWorkflow, (cause: Error) => setError(cause.message));
  }, [props.id]);
  if (error)
    return (
      <main className="home">
        <p className="field-error" role="alert">
          {error}
        </p>
        <a href="#/">Back</a>
      </main>
    );
  if (!workflow) return <p className="loading">Loading…</p>;
  return (
    <Builder
      key={workflow.workflowId}
      workflow={workflow}
      onBack={() => {
        location.hash = "#/";
      }}
    />
  );
}
