import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await createTestApp();
  admin = await app.token("HUB", Role.ADMIN);
});
afterAll(() => app.close());

const CREATE = `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { id code name kind areaCodes active } }`;
const CONFIGURE = `mutation($input: ConfigureRouteInput!) { configureRoute(input: $input) { id areaCode pathway slaHours targetAgency { code kind } } }`;

const count = async (sql: string, params: unknown[] = []) => Number((await app.ds.query(sql, params))[0].n);

describe("createAgency", () => {
  it("creates an agency and its audit row in one transaction", async () => {
    const r = await app.gql(CREATE, { input: { code: "TS-HARTLEPOOL", name: "Hartlepool Recovery (test)", kind: "TREATMENT_SERVICE", areaCodes: ["CLE-HARTLEPOOL"] } }, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data!.createAgency).toMatchObject({ code: "TS-HARTLEPOOL", kind: "TREATMENT_SERVICE", areaCodes: ["CLE-HARTLEPOOL"], active: true });
    const audit = await app.ds.query(`SELECT action, "actorAgencyCode", "actorSub" FROM audit_event WHERE "entityId" = $1`, [r.data!.createAgency.id]);
    expect(audit).toEqual([{ action: "AGENCY_CREATED", actorAgencyCode: "HUB", actorSub: "hub-user" }]);
  });

  it("answers CONFLICT for a duplicate code and writes nothing", async () => {
    const before = await count(`SELECT count(*) n FROM audit_event`);
    const r = await app.gql(CREATE, { input: { code: "DUR", name: "Another Durham", kind: "POLICE_FORCE", areaCodes: [] } }, admin);
    expect(r.errors![0].extensions.code).toBe("CONFLICT");
    expect(await count(`SELECT count(*) n FROM agency WHERE code = 'DUR'`)).toBe(1);
    expect(await count(`SELECT count(*) n FROM audit_event`)).toBe(before);
  });

  it("answers BAD_USER_INPUT naming each field, and writes nothing", async () => {
    const r = await app.gql(CREATE, { input: { code: "lower", name: "X", kind: "MASH", areaCodes: ["not an area"] } }, admin);
    expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    const fields = (r.errors![0].extensions.problems as Array<{ field: string }>).map((p) => p.field).sort();
    expect(fields).toEqual(["areaCodes", "code", "name"]);
    expect(await count(`SELECT count(*) n FROM agency WHERE code = 'lower'`)).toBe(0);
  });

  it("refuses an unknown kind with BAD_USER_INPUT", async () => {
    const r = await app.gql(CREATE, { input: { code: "ZZ", name: "Unknown", kind: "SPACE_AGENCY", areaCodes: [] } }, admin);
    expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("refuses a second hub operator", async () => {
    const r = await app.gql(CREATE, { input: { code: "HUB2", name: "Second hub", kind: "HUB_OPERATOR", areaCodes: [] } }, admin);
    expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("is for ADMIN only", async () => {
    const r = await app.gql(CREATE, { input: { code: "QQ", name: "Sneaky", kind: "MASH", areaCodes: [] } }, await app.token("HUB", Role.AUDITOR));
    expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
    expect(await count(`SELECT count(*) n FROM agency WHERE code = 'QQ'`)).toBe(0);
  });
});

describe("configureRoute and routes", () => {
  it("lists the demo pathways by area", async () => {
    const r = await app.gql(`{ routes(areaCode: "LAN-BLACKPOOL") { pathway targetAgency { code } slaHours } }`, {}, admin);
    expect(r.data!.routes).toEqual([{ pathway: "NFO_COORDINATOR", targetAgency: { code: "NWAS" }, slaHours: 72 }]);
  });

  it("creates and then replaces the target of a pathway in an area", async () => {
    const first = await app.gql(CONFIGURE, { input: { areaCode: "CLE-HARTLEPOOL", pathway: "DIRECT_TREATMENT", targetAgencyCode: "TS-TEESSIDE", slaHours: 48 } }, admin);
    expect(first.errors).toBeUndefined();
    expect(first.data!.configureRoute).toMatchObject({ areaCode: "CLE-HARTLEPOOL", slaHours: 48, targetAgency: { code: "TS-TEESSIDE" } });
    const again = await app.gql(CONFIGURE, { input: { areaCode: "CLE-HARTLEPOOL", pathway: "DIRECT_TREATMENT", targetAgencyCode: "TS-TEESSIDE", slaHours: 24 } }, admin);
    expect(again.data!.configureRoute.id).toBe(first.data!.configureRoute.id);
    expect(await count(`SELECT count(*) n FROM route WHERE "areaCode" = 'CLE-HARTLEPOOL'`)).toBe(1);
    expect(await count(`SELECT count(*) n FROM audit_event WHERE action = 'ROUTE_CONFIGURED' AND "entityId" = $1`, [first.data!.configureRoute.id])).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [{ areaCode: "DUR-DURHAM", pathway: "MASH_SAFEGUARDING", targetAgencyCode: "TS-DURHAM" }, "targetAgencyCode", /go to a MASH, not a TREATMENT_SERVICE/],
    [{ areaCode: "DUR-DURHAM", pathway: "DIRECT_TREATMENT", targetAgencyCode: "TS-BRISTOL" }, "targetAgencyCode", /does not serve area DUR-DURHAM/],
    [{ areaCode: "DUR-DURHAM", pathway: "DIRECT_TREATMENT", targetAgencyCode: "NOPE" }, "targetAgencyCode", /active agency/],
    [{ areaCode: "ATLANTIS", pathway: "DIRECT_TREATMENT", targetAgencyCode: "TS-DURHAM" }, "areaCode", /no active police force/],
    [{ areaCode: "DUR-DURHAM", pathway: "DIRECT_TREATMENT", targetAgencyCode: "TS-DURHAM", slaHours: 0 }, "slaHours", /not be less than 1/],
  ])("refuses %j", async (input, field, rule) => {
    const r = await app.gql(CONFIGURE, { input }, admin);
    expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    const problems = r.errors![0].extensions.problems as Array<{ field: string; rule: string }>;
    expect(problems.some((p) => p.field === field && rule.test(p.rule))).toBe(true);
  });

  it("keeps routes away from non-admins", async () => {
    const r = await app.gql(`{ routes { areaCode } }`, {}, await app.token("PH-ENG", Role.ANALYST));
    expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
  });
});
