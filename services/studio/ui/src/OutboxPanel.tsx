import { useEffect, useState } from "react";
import { api, type OutboxMail } from "./api.js";

/** Mail caught by channel-email's built-in outbox (embedded mode without a provider), when that API answers. */
export function OutboxPanel() {
  const [mails, setMails] = useState<OutboxMail[] | "unavailable">();
  const [selected, setSelected] = useState<OutboxMail>();
  useEffect(() => {
    const load = (): void =>
      void api.outbox().then(
        (answer) => setMails(answer.mails),
        () => setMails("unavailable"),
      );
    load();
    const timer = setInterval(load, 5_000);
    return () => clearInterval(timer);
  }, []);
  if (mails === undefined) return <p className="muted">Loading…</p>;
  if (mails === "unavailable")
    return <p className="empty">No outbox here: mail goes to a real provider, or the email channel is not running.</p>;
  if (mails.length === 0) return <p className="empty">No mail sent yet. Mail sent by runs shows up here.</p>;
  return (
    <div className="outbox">
      <ul>
        {mails.map((mail) => (
          <li key={mail.id}>
            <button type="button" className="link" onClick={() => setSelected(mail)}>
              {mail.subject || "(no subject)"}
            </button>
            <div className="muted">
              to {mail.to} · {new Date(mail.createdAt).toLocaleTimeString()}
            </div>
          </li>
        ))}
      </ul>
      {selected ? <pre className="mail-text">{selected.text}</pre> : null}
    </div>
  );
}
