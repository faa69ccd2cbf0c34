import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A scripted failure: the next `times` calls answer `status` (with `headers`), or hang past the client timeout when status is "hang". */
export interface ScriptedFailure {
  status: number | "hang";
  times: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Base of the local provider-API servers: 127.0.0.1 on an ephemeral port, with scripted failures. */
export abstract class HttpFake {
  private server: Server | undefined;
  private readonly failures: ScriptedFailure[] = [];
  url = "";

  failNext(failure: ScriptedFailure): void {
    this.failures.push({ ...failure });
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.dispatch(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  protected abstract handle(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> | void;

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const failure = this.failures[0];
    if (failure && request.method === "POST") {
      failure.times -= 1;
      if (failure.times <= 0) this.failures.shift();
      if (failure.status === "hang") return;
      response.writeHead(failure.status, { "content-type": "application/json", ...failure.headers });
      response.end(failure.body ?? JSON.stringify({ message: `scripted ${failure.status}` }));
      return;
    }
    await this.handle(request, Buffer.concat(chunks), response);
  }
}

export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}
