import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface SmtpMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that records what it receives; `rejectNext` answers 550. */
export class SmtpFake {
  readonly received: SmtpMail[] = [];
  private rejections = 0;
  private server: SMTPServer | undefined;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  rejectNext(times: number): void {
    this.rejections += times;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          if (this.rejections > 0) {
            this.rejections -= 1;
            const error = Object.assign(new Error("mailbox unavailable"), { responseCode: 550 });
            return callback(error);
          }
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A header of a received message, unfolded (RFC 5322 §2.2.3); undefined when absent. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const unfolded = head.replace(/\r?\n(?=[ \t])/g, "");
  const line = unfolded
    .split(/\r?\n/)
    .find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The text/html part of a received message, its transfer encoding (quoted-printable, base64) undone. */
export function htmlOf(raw: string): string | undefined {
  return partOf(raw, "html");
}

/** The text/plain part of a received message, its transfer encoding undone. */
export function textOf(raw: string): string | undefined {
  return partOf(raw, "plain");
}

function partOf(raw: string, subtype: "html" | "plain"): string | undefined {
  const match = new RegExp(`content-type:\\s*text\\/${subtype}[^]*?\\r?\\n\\r?\\n`, "i").exec(raw);
  if (!match) return undefined;
  const headers = match[0];
  const rest = raw.slice(match.index + headers.length);
  const body = rest.split(/\r?\n--/, 1)[0] ?? "";
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding !== "quoted-printable") return body;
  const bytes = body
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}
