import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** An Express app listening on 127.0.0.1 on an ephemeral port, for tests. */
export interface HttpTestServer {
  readonly server: Server;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Starts `app` on 127.0.0.1 with a port chosen by the kernel. */
export async function startHttpTestServer(app: Express): Promise<HttpTestServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits until `condition` holds, polling every 20 ms, or fails after `timeoutMillis`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMillis = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMillis} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
