// jest's globalSetup/globalTeardown are loaded by Node's own require, which does not apply the
// moduleNameMapper that maps our ".js" import specifiers to the ".ts" sources. Teach it to.
import Module from "node:module";

type Resolve = (request: string, ...rest: unknown[]) => string;
const mod = Module as unknown as { _resolveFilename: Resolve & { __nh?: boolean } };
if (!mod._resolveFilename.__nh) {
  const original = mod._resolveFilename;
  const patched: Resolve & { __nh?: boolean } = function (this: unknown, request: string, ...rest: unknown[]) {
    try {
      return original.call(this, request, ...rest);
    } catch (e) {
      if (request.startsWith(".") && request.endsWith(".js")) return original.call(this, request.slice(0, -3) + ".ts", ...rest);
      throw e;
    }
  };
  patched.__nh = true;
  mod._resolveFilename = patched;
}
