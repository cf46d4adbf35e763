import type http from "node:http";
import type { GraphQLError, GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { auditReadsOrWithhold, ReadLog } from "./audit/read-log.js";
import type { Actor } from "./auth/actor.js";
import { authenticate } from "./auth/authenticate.js";
import { LoaderRegistry, type AppDeps, type Context } from "./context.js";
import { formatError } from "./format-error.js";
import { type TrustedDocuments, untrustedError } from "./trusted-documents.js";

type Extra = { actor?: Actor | null } & Record<PropertyKey, unknown>;

/**
 * graphql-ws on the same path as POST /graphql. The client authenticates once in connection_init
 * (`{ authorization: "Bearer …" }`); every event is executed under the same permission map, its
 * identifying reads are audited before it is sent (fail closed), and loaders are renewed between
 * events so a consent withdrawn meanwhile applies to the next event.
 */
export function attachSubscriptions(httpServer: http.Server, schema: GraphQLSchema, deps: AppDeps, trusted: TrustedDocuments | null = null): { dispose(): Promise<void> } {
  const wss = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const server = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        try {
          const actor = await authenticate(deps.config, deps.dataSource, typeof raw === "string" ? raw : undefined, null);
          if (!actor) return false;
          ctx.extra.actor = actor;
          return true;
        } catch {
          return false;
        }
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
      onNext: async (_ctx, id, _payload, args, result) => {
        const c = args.contextValue as Context;
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
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
