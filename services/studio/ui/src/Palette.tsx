import { describeNodeKinds } from "@cascade/workflow";
import { useRef, type KeyboardEvent } from "react";

export const DRAG_TYPE = "application/x-cascade-node-kind";

const GROUPS = [
  { category: "trigger", title: "Triggers" },
  { category: "action", title: "Actions" },
  { category: "logic", title: "Logic" },
  { category: "integration", title: "Integrations" },
] as const;

/**
 * Every node kind, grouped. Drag an entry onto the canvas, or focus it (Tab, then arrow keys) and press Enter
 * to add it in the middle of the view.
 */
export function Palette(props: { onAdd: (kind: string) => void }) {
  const list = useRef<HTMLDivElement>(null);
  const move = (event: KeyboardEvent<HTMLButtonElement>): void => {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    const items = [...(list.current?.querySelectorAll<HTMLButtonElement>("button.palette-item") ?? [])];
    const index = items.indexOf(event.currentTarget);
    const next =
      event.key === "Home" ? 0 : event.key === "End" ? items.length - 1 : index + (event.key === "ArrowDown" ? 1 : -1);
    items[Math.max(0, Math.min(items.length - 1, next))]?.focus();
  };
  const kinds = describeNodeKinds();
  return (
    <nav className="palette" aria-label="Node palette" ref={list}>
      {GROUPS.map((group) => (
        <section key={group.category} aria-labelledby={`palette-${group.category}`}>
          <h3 id={`palette-${group.category}`}>{group.title}</h3>
          {kinds
            .filter((kind) => kind.category === group.category)
            .map((kind) => (
              <button
                key={kind.kind}
                type="button"
                className={`palette-item cat-${kind.category}`}
                draggable
                data-testid={`palette-${kind.kind}`}
                title={kind.description}
                aria-label={`Add ${kind.label} (${kind.kind}): ${kind.description}`}
                onDragStart={(event) => {
                  event.dataTransfer.setData(DRAG_TYPE, kind.kind);
                  event.dataTransfer.effectAllowed = "move";
                }}
                onKeyDown={move}
                onClick={() => props.onAdd(kind.kind)}
              >
                {kind.label}
                <span className="palette-kind">{kind.kind}</span>
              </button>
            ))}
        </section>
      ))}
    </nav>
  );
}
