import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from "graphql";
import type { Context } from "./context.js";

/**
 * Trusted documents: with TRUSTED_DOCUMENTS_ONLY=true the hub runs only the operations listed in
 * schema/trusted-documents.json (made by `npm run codegen` from the dashboard's operations and the
 * README's examples), over HTTP and graphql-ws alike. An operation is identified by the SHA-256 of
 * its printed form, so whitespace and comments do not matter. Operations the hub runs itself (the
 * CSV exports) are fixed in its code and not checked.
 */
export class TrustedDocuments {
  private constructor(private readonly ids: ReadonlySet<string>) {}

  static manifestPath(): string {
    let dir = __dirname;
    while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    return path.join(dir, "schema", "trusted-documents.json");
  }

  static load(file = TrustedDocuments.manifestPath()): TrustedDocuments {
    if (!existsSync(file)) throw new Error(`TRUSTED_DOCUMENTS_ONLY is set but ${file} is missing (npm run codegen makes it)`);
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { operations: Array<{ id: string }> };
    return new TrustedDocuments(new Set(manifest.operations.map((o) => o.id)));
  }

  static idOf(operation: OperationDefinitionNode): string {
    return createHash("sha256").update(print(operation)).digest("hex");
  }

  /** Whether the operation a request runs (by name when the document holds several) is trusted. */
  allows(document: DocumentNode | string, operationName?: string | null): boolean {
    let doc: DocumentNode;
    try {
      doc = typeof document === "string" ? parse(document) : document;
    } catch {
      return false;
    }
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
    // Fragments are not part of trusted operations: a document carrying any is refused.
    if (!op || doc.definitions.some((d) => d.kind === Kind.FRAGMENT_DEFINITION)) return false;
    return this.ids.has(TrustedDocuments.idOf(op));
  }
}

export const untrustedError = () =>
  new GraphQLError("Only the hub's trusted documents are accepted here (TRUSTED_DOCUMENTS_ONLY): use an operation from the dashboard or the README", {
    extensions: { code: "FORBIDDEN", http: { status: 403 } },
  });

/** Refuses, before execution, an HTTP operation that is not in the manifest. */
export function trustedDocumentsPlugin(trusted: TrustedDocuments): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      if (!request.http) return; // run by the hub itself (executeOperation: the CSV exports)
      return {
        async didResolveOperation({ document, operationName }) {
          if (!trusted.allows(document, operationName)) throw untrustedError();
        },
      };
    },
  };
}
