import { randomUUID } from "node:crypto";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { HANDOVER, INCIDENT, RECORD, validForm } from "../helpers/forms";

let app: TestApp;
let officer: string;
let paramedic: string;
let incidentId: string;
let occurredAt: Date;

beforeAll(async () => {
  app = await createTestApp();
  officer = await app.token("SWP", Role.OFFICER, { collarNumber: "SW123" });
  paramedic = await app.token("WAST", Role.PARAMEDIC, { sub: "para-1" });
  const form = validForm({ areaCode: "SWP-SWANSEA", location: { lat: 51.62, lng: -3.94 }, person: { givenName: "Handy", familyName: "Overtestperson", dateOfBirth: "1992-02-02" } });
  occurredAt = new Date(form.occurredAt);
  const r = await app.gql(RECORD, { input: form }, officer);
  incidentId = r.data!.recordNaloxoneAdministration.id;
});
afterAll(() => app.close());

const handover = (overrides: Record<string, unknown> = {}) => ({
  incidentId,
  idempotencyKey: `ho-${randomUUID()}`,
  cadReference: "CAD/2026/0001",
  handedOverAt: new Date(occurredAt.getTime() + 12 * 60_000).toISOString(),
  patientCondition: "Breathing, drowsy",
  circumstances: "Found in a stairwell, synthetic test scenario",
  accompanyingPeople: 1,
  dosesGivenBeforeArrival: 2,
  conveyedToHospital: true,
  refusedCare: false,
  ...overrides,
});

describe("recordHandover", () => {
  it("lets a paramedic of the area's ambulance service record the handover, taking the officer's collar number by default", async () => {
    const r = await app.gql(HANDOVER, { input: handover() }, paramedic);
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordHandover).toMatchObject({ incidentId, officerCollarNumber: "SW123", ambulanceService: { code: "WAST" } });
    const audit = await app.ds.query(`SELECT action, basis FROM audit_event WHERE "entityId" = $1`, [r.data!.recordHandover.id]);
    expect(audit).toEqual([{ action: "HANDOVER_RECORDED", basis: "DIRECT_CARE" }]);
  });

  it("gives that ambulance service direct-care access to the incident and the person", async () => {
    const r = await app.gql(INCIDENT, { id: incidentId }, paramedic);
    expect(r.errors).toBeUndefined();
    expect(r.data!.incident.person).toMatchObject({ givenName: "Handy", familyName: "Overtestperson" });
    expect(r.data!.incident.location).toEqual({ lat: 51.62, lng: -3.94 });
    const [row] = await app.ds.query(`SELECT basis FROM audit_event WHERE action = 'PERSON_READ' AND "actorSub" = 'para-1'`);
    expect(row.basis).toBe("DIRECT_CARE");
  });

  it("is idempotent per ambulance service and key, and answers CONFLICT for a changed payload", async () => {
    const input = handover();
    const a = await app.gql(HANDOVER, { input }, paramedic);
    const b = await app.gql(HANDOVER, { input }, paramedic);
    expect(b.data!.recordHandover.id).toBe(a.data!.recordHandover.id);
    const c = await app.gql(HANDOVER, { input: { ...input, accompanyingPeople: 3 } }, paramedic);
    expect(c.errors![0].extensions.code).toBe("CONFLICT");
    const results = await Promise.all(Array.from({ length: 10 }, () => app.gql(HANDOVER, { input: { ...input, idempotencyKey: `burst-${incidentId}` } }, paramedic)));
    expect(new Set(results.map((r) => r.data!.recordHandover.id)).size).toBe(1);
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM handover WHERE "idempotencyKey" = $1`, [`burst-${incidentId}`]);
    expect(n).toBe(1);
  });

  it("answers NOT_FOUND to an ambulance service outside the incident's area, as for a missing id", async () => {
    const other = await app.token("NWAS", Role.PARAMEDIC);
    const r = await app.gql(HANDOVER, { input: handover() }, other);
    const missing = await app.gql(HANDOVER, { input: handover({ incidentId: randomUUID() }) }, other);
    expect(r.errors![0].extensions.code).toBe("NOT_FOUND");
    expect(r.errors![0].message).toBe(missing.errors![0].message);
  });

  it("refuses handovers from officers and a handover time before the incident", async () => {
    const byOfficer = await app.gql(HANDOVER, { input: handover() }, officer);
    expect(byOfficer.errors![0].extensions.code).toBe("FORBIDDEN");
    const early = await app.gql(HANDOVER, { input: handover({ handedOverAt: new Date(occurredAt.getTime() - 3 * 3600_000).toISOString() }) }, paramedic);
    expect(early.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    expect((early.errors![0].extensions.problems as Array<{ field: string }>)[0].field).toBe("handedOverAt");
  });
});

describe("who can read an incident", () => {
  it("the recording force sees it, with handovers", async () => {
    const r = await app.gql(INCIDENT, { id: incidentId }, officer);
    expect(r.errors).toBeUndefined();
    expect(r.data!.incident.handovers.length).toBeGreaterThan(0);
    expect(r.data!.incident.person.givenName).toBe("Handy");
  });

  it.each([
    ["another force's officer", "CLE", Role.OFFICER],
    ["a treatment worker", "TS-SWANSEA", Role.TREATMENT_WORKER],
    ["a MASH reviewer of another area", "MASH-DUR", Role.MASH_REVIEWER],
    ["another ambulance service", "NWAS", Role.PARAMEDIC],
  ])("%s gets NOT_FOUND, exactly as for an id that does not exist", async (_n, agency, role) => {
    const token = await app.token(agency, role);
    const r = await app.gql(INCIDENT, { id: incidentId }, token);
    const missing = await app.gql(INCIDENT, { id: randomUUID() }, token);
    const garbage = await app.gql(INCIDENT, { id: "not-a-uuid" }, token);
    expect(r.errors![0].extensions.code).toBe("NOT_FOUND");
    expect(r.data!.incident).toBeNull();
    expect(r.errors![0].message).toBe(missing.errors![0].message);
    expect(garbage.errors![0].extensions.code).toBe("NOT_FOUND");
    expect(JSON.stringify(r.body)).not.toMatch(/Handy|Overtestperson/);
  });

  it("an analyst is refused outright", async () => {
    const r = await app.gql(INCIDENT, { id: incidentId }, await app.token("PH-ENG", Role.ANALYST));
    expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
  });
});

describe("incidents list", () => {
  it("lists only the agency's own incidents, newest first, with cursor pagination", async () => {
    for (let i = 0; i < 5; i++) {
      await app.gql(RECORD, { input: validForm({ areaCode: "SWP-CARDIFF", occurredAt: new Date(Date.now() - (i + 3) * 3600_000).toISOString(), person: null }) }, officer);
    }
    await app.gql(RECORD, { input: validForm({ areaCode: "CLE-STOCKTON", person: null }) }, await app.token("CLE", Role.OFFICER));
    const Q = `query($after: String) { incidents(first: 2, after: $after, filter: { areaCode: "SWP-CARDIFF" }) { edges { cursor node { id occurredAt areaCode } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r: any = await app.gql(Q, { after }, officer);
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.incidents.edges.map((e: any) => e.node.occurredAt));
      after = r.data.incidents.pageInfo.hasNextPage ? r.data.incidents.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect([...seen].sort().reverse()).toEqual(seen);

    const all = await app.gql(`{ incidents(first: 100) { edges { node { areaCode } } } }`, {}, officer);
    expect(all.data!.incidents.edges.every((e: any) => e.node.areaCode.startsWith("SWP-"))).toBe(true);
  });

  it("bounds the page size and rejects foreign cursors", async () => {
    const big = await app.gql(`{ incidents(first: 1000) { edges { cursor } } }`, {}, officer);
    expect(big.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    const bad = await app.gql(`{ incidents(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }`, {}, officer);
    expect(bad.errors![0].extensions.code).toBe("BAD_USER_INPUT");
  });
});
