import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

/** A graphql-ws client and one subscription whose results queue up; `next()` waits for the next. */
export function wsSubscribe(url: string, token: string, query: string): { client: Client; ready: Promise<void>; next(ms?: number): Promise<any> } {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams: { authorization: `Bearer ${token}` } });
  const queue: any[] = [];
  const waiters: Array<(v: any) => void> = [];
  const deliver = (v: any) => {
    const w = waiters.shift();
    if (w) w(v);
    else queue.push(v);
  };
  client.subscribe({ query }, { next: deliver, error: (e) => deliver({ failure: e }), complete: () => undefined });
  return {
    client,
    ready: new Promise<void>((resolve) => setTimeout(resolve, 300)),
    next: (ms = 5000) =>
      queue.length > 0
        ? Promise.resolve(queue.shift())
        : new Promise<any>((resolve, reject) => {
            const t = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
            waiters.push((v) => {
              clearTimeout(t);
              resolve(v);
            });
          }),
  };
}
