import "reflect-metadata";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildBareSchema, renderSdl } from "../../src/schema";

describe("schema/schema.graphql", () => {
  it("matches the schema the code builds (run `npm run schema` after changing the API)", async () => {
    const committed = readFileSync(path.join(__dirname, "..", "..", "schema", "schema.graphql"), "utf8");
    expect(renderSdl(await buildBareSchema())).toBe(committed);
  });
});
