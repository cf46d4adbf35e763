import "reflect-metadata";
import { parse, validate } from "graphql";
import { PROGRAMME_KPIS } from "../../dashboard/src/programme.query";
import { buildBareSchema } from "../../src/schema";

// The dashboard's programme panel asks the hub one operation: it must stay valid against the schema.
describe("dashboard programme panel", () => {
  it("sends a programmeKpis query the schema accepts", async () => {
    const schema = await buildBareSchema();
    expect(validate(schema, parse(PROGRAMME_KPIS)).map((e) => e.message)).toEqual([]);
  });
});
