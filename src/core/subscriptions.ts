import type http from "node:http";
import type { GraphQLError, GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer, type WebSocket } from "ws";
import { auditReadsOrWithhold, ReadLog } from "./audit/read-log.js";
import type { Actor } from "./auth/actor.js";
import { authenticate } from "./auth/authenticate.js";
import { LoaderRegistry, type AppDeps, type Context } from "./context.js";
import { formatError } from "./format-error.js";
import { type TrustedDocuments, untrustedError } from "./trusted-documents.js";

type Extra = { actor?: Actor | null; socket: WebSocket } & Record<PropertyKey, unknown>;

/** Close code for a socket whose token expired or whose agency was deactivated (graphql-ws's "Unauthorized" range). */
export const CLOSE_UNAUTHORIZED = 4401;

/**
 * graphql-ws on the same path as POST /graphql. The client authenticates once in connection_init
 * (`{ authorization: "Bearer …" }`); every event is executed under the same permission map, its
 * identifying reads are audited before it is sent (fail closed), and loaders are renewed between
 * events so a consent withdrawn meanwhile applies to the next event.
 *
 * A subscription lives no longer than what let it in: the socket is closed with 4401 at the token's
 * `exp`, and when the agency is deactivated (checked before every event, and every
 * SUBSCRIPTION_RECHECK_SECONDS for idle sockets). No event is delivered after either.
 */
export function attachSubscriptions(httpServer: http.Server, schema: GraphQLSchema, deps: AppDeps, trusted: TrustedDocuments | null = null): { dispose(): Promise<void> } {
  const wss = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const live = new Map<WebSocket, Actor>();

  const end = (socket: WebSocket, reason: string) => {
    live.delete(socket);
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(CLOSE_UNAUTHORIZED, reason);
  };
  const expired = (actor: Actor) => !!actor.tokenExpiresAt && actor.tokenExpiresAt.getTime() <= Date.now();
  const agencyActive = async (agencyId: string): Promise<boolean> => {
    const rows: Array<{ active: boolean }> = await deps.dataSource.query(`SELECT active FROM agency WHERE id = $1`, [agencyId]);
    return rows[0]?.active === true;
  };

  // Idle sockets of a deactivated agency are found by a periodic check (one query for all of them).
  const sweep = setInterval(() => {
    if (live.size === 0) return;
    const agencyIds = [...new Set([...live.values()].map((a) => a.agency.id))];
    deps.dataSource
      .query(`SELECT id FROM agency WHERE id = ANY($1::uuid[]) AND active`, [agencyIds])
      .then((rows: Array<{ id: string }>) => {
        const active = new Set(rows.map((r) => r.id));
        for (const [socket, actor] of live) {
          if (!active.has(actor.agency.id)) end(socket, "Agency deactivated");
          else if (expired(actor)) end(socket, "Token expired");
        }
      })
      .catch((e: unknown) => deps.logger.warn({ err: (e as Error)?.name }, "subscription recheck failed; will retry"));
  }, deps.config.subscriptionRecheckSeconds * 1000);
  sweep.unref();

  const server = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        let actor: Actor | null;
        try {
          actor = await authenticate(deps.config, deps.dataSource, typeof raw === "string" ? raw : undefined, null);
        } catch {
          return false;
        }
        if (!actor) return false;
        ctx.extra.actor = actor;
        const socket = ctx.extra.socket;
        live.set(socket, actor);
        if (actor.tokenExpiresAt) {
          const timer = setTimeout(() => end(socket, "Token expired"), Math.max(0, actor.tokenExpiresAt.getTime() - Date.now()));
          timer.unref();
          socket.once("close", () => clearTimeout(timer));
        }
        socket.once("close", () => live.delete(socket));
        return true;
      },
      // TRUSTED_DOCUMENTS_ONLY: a subscription not in the manifest is refused before it starts.
      onSubscribe: (_ctx, _id, payload) => (trusted && !trusted.allows(payload.query, payload.operationName) ? [untrustedError()] : undefined),
      context: (ctx, id): Context => ({
        ...deps,
        requestId: `ws-${id}`,
        actor: ctx.extra.actor ? { ...ctx.extra.actor, requestId: `ws-${id}` } : null,
        loaders: new LoaderRegistry(),
        readLog: new ReadLog(),
      }),
      onNext: async (ctx, _id, _payload, args, result) => {
        const c = args.contextValue as Context;
        const actor = ctx.extra.actor;
        // Before anything is sent (or audited as read): the token and the agency must still hold.
        // Closing the socket first means graphql-ws sends nothing for this event.
        if (actor && (expired(actor) || !(await agencyActive(actor.agency.id)))) {
          end(ctx.extra.socket, expired(actor) ? "Token expired" : "Agency deactivated");
          c.loaders = new LoaderRegistry();
          return; // graphql-ws sends only on an OPEN socket: this event goes nowhere
        }
        const withheld = await auditReadsOrWithhold(deps, c);
        c.loaders = new LoaderRegistry();
        if (withheld) return withheld;
        if (!result.errors) return;
        return { ...result, errors: result.errors.map((e: GraphQLError) => formatError(e.toJSON(), e)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
  );
  return {
    async dispose() {
      clearInterval(sweep);
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
