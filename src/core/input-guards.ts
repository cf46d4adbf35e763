import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, visit } from "graphql";
import type { Context } from "./context.js";
import { badInput, type InputProblem } from "./errors.js";

/** A NUL, or half a surrogate pair: text PostgreSQL cannot store as sent (NUL fails, a lone surrogate silently becomes U+FFFD). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const RULE = "must not contain the NUL character or unpaired surrogates";

/**
 * Refuses, before anything runs, any string in the variables or the document that PostgreSQL could not
 * store exactly as sent: BAD_USER_INPUT (HTTP 400) naming the field, instead of a driver error (500)
 * or a value that reads back different from what was submitted.
 */
export function unstorableTextGuard(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const problems: InputProblem[] = [];
          // Iterative, so variables nested thousands deep cannot overflow the stack here.
          const stack: Array<[unknown, string]> = [[request.variables ?? {}, ""]];
          while (stack.length > 0 && problems.length < 20) {
            const [value, path] = stack.pop()!;
            if (typeof value === "string") {
              if (UNSTORABLE.test(value)) problems.push({ field: path, rule: RULE });
            } else if (Array.isArray(value)) {
              value.forEach((v, i) => stack.push([v, `${path}.${i}`]));
            } else if (value !== null && typeof value === "object") {
              for (const [k, v] of Object.entries(value)) stack.push([v, path ? `${path}.${k}` : k]);
            }
          }
          visit(document, {
            [Kind.STRING]: (node) => {
              if (problems.length < 20 && UNSTORABLE.test(node.value)) problems.push({ field: `query (line ${node.loc?.startToken.line ?? "?"})`, rule: RULE });
            },
          });
          if (problems.length > 0) {
            const error = badInput(problems);
            (error.extensions as Record<string, unknown>).http = { status: 400 };
            throw error;
          }
        },
      };
    },
  };
}
