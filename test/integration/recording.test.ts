import { randomUUID } from "node:crypto";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

let app: TestApp;
let officer: string;
beforeAll(async () => {
  app = await createTestApp();
  officer = await app.token("DUR", Role.OFFICER, { sub: "pc-4711", collarNumber: "4711" });
});
afterAll(() => app.close());

const counts = async () => {
  const [r] = await app.ds.query(
    `SELECT (SELECT count(*) FROM incident)::int AS incidents, (SELECT count(*) FROM person)::int AS people, (SELECT count(*) FROM audit_event WHERE action NOT LIKE 'PERSON_READ%')::int AS audit`,
  );
  return r as { incidents: number; people: number; audit: number };
};

describe("recordNaloxoneAdministration", () => {
  it("records every field of the form, derives the rest, and audits it in the same transaction", async () => {
    const form = validForm({ firstAid: { ...validForm().firstAid, checkedForResponse: true } });
    const r = await app.gql(RECORD, { input: form }, officer);
    expect(r.errors).toBeUndefined();
    const inc = r.data!.recordNaloxoneAdministration;
    expect(inc).toMatchObject({
      areaCode: "DUR-EASINGTON",
      ambulanceResponseMinutes: 14,
      officerCollarNumber: "4711",
      substances: ["HEROIN", "NITAZENES"],
      dosesAdministered: 2,
      outcome: "CONSCIOUS_AND_RESPONSIVE",
      kitsRequired: 1,
      disposition: "CONVEYED_TO_HOSPITAL",
      paraphernaliaPresent: true,
      firstAid: { chestCompressions: false, checkedForResponse: true },
      location: { lat: 54.784, lng: -1.356 },
      person: { givenName: "Testy", familyName: "McFakeperson", dateOfBirth: "1990-04-01", gender: "MALE" },
      recordingAgency: { code: "DUR" },
    });
    const [row] = await app.ds.query(`SELECT h3r5, h3r7, h3r9, "recordedBySub" FROM incident WHERE id = $1`, [inc.id]);
    expect(row.h3r7).toMatch(/^87/);
    expect(row.h3r9).toMatch(/^89/);
    expect(row.recordedBySub).toBe("pc-4711");
    const audit = await app.ds.query(`SELECT action, "personId", "actorAgencyCode" FROM audit_event WHERE "entityId" = $1`, [inc.id]);
    expect(audit).toEqual([{ action: "INCIDENT_RECORDED", personId: inc.person.id, actorAgencyCode: "DUR" }]);
  });

  it("accepts a form with no person details, no location and no ambulance", async () => {
    const r = await app.gql(
      RECORD,
      { input: validForm({ person: null, location: null, substances: null, ambulanceCalledAt: null, ambulanceArrivedAt: null, seenByParamedics: false, resupplyNeeded: false, kitsRequired: null, disposition: "LEFT_BEFORE_AMBULANCE" }) },
      officer,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordNaloxoneAdministration).toMatchObject({ location: null, ambulanceResponseMinutes: null, substances: [], person: { givenName: null } });
  });

  const recent = (mins: number) => new Date(Date.now() - mins * 60_000).toISOString();
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["zero doses", { dosesAdministered: 0 }, "dosesAdministered"],
    ["too many doses", { dosesAdministered: 11 }, "dosesAdministered"],
    ["resupply without kits", { resupplyNeeded: true, kitsRequired: null }, "kitsRequired"],
    ["resupply with zero kits", { resupplyNeeded: true, kitsRequired: 0 }, "kitsRequired"],
    ["kits without resupply", { resupplyNeeded: false, kitsRequired: 3 }, "kitsRequired"],
    ["an incident in the future", { occurredAt: new Date(Date.now() + 3600_000).toISOString() }, "occurredAt"],
    ["arrival before the call", { ambulanceCalledAt: recent(30), ambulanceArrivedAt: recent(40) }, "ambulanceArrivedAt"],
    ["an area of another force", { areaCode: "SWP-CARDIFF" }, "areaCode"],
    ["a latitude out of range", { location: { lat: 91, lng: 0 } }, "location.lat"],
    ["a longitude out of range", { location: { lat: 54, lng: -181 } }, "location.lng"],
    ["a 101-character name", { person: { givenName: "A".repeat(101) } }, "person.givenName"],
    ["markup in a name", { person: { familyName: "<script>x</script>" } }, "person.familyName"],
    ["an impossible date of birth", { person: { dateOfBirth: "1990-02-30" } }, "person.dateOfBirth"],
    ["a date of birth after the incident", { person: { dateOfBirth: "2099-01-01" } }, "person.dateOfBirth"],
    ["an implausible age", { person: { ageYears: 130 } }, "person.ageYears"],
    ["an age that contradicts the date of birth", { person: { dateOfBirth: "1990-01-01", ageYears: 20 } }, "person.ageYears"],
    ["a short idempotency key", { idempotencyKey: "abc" }, "idempotencyKey"],
    ["a repeated substance", { substances: ["HEROIN", "HEROIN"] }, "substances"],
  ];
  it.each(cases)("refuses %s with BAD_USER_INPUT naming the field, and writes nothing", async (_name, override, field) => {
    const before = await counts();
    const r = await app.gql(RECORD, { input: validForm(override) }, officer);
    expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    const problems = r.errors![0].extensions.problems as Array<{ field: string; rule: string }>;
    expect(problems.map((p) => p.field)).toContain(field);
    expect(JSON.stringify(r.body)).not.toMatch(/McFakeperson|<script>|AAAAAAAAAA/);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["an unknown outcome", { outcome: "RESURRECTED" }],
    ["an unknown substance", { substances: ["MOONDUST"] }],
    ["a missing first-aid item", { firstAid: { triedToWakeVerbally: true } }],
    ["a non-integer dose", { dosesAdministered: 1.5 }],
  ])("refuses %s at the schema with BAD_USER_INPUT", async (_n, override) => {
    const before = await counts();
    const r = await app.gql(RECORD, { input: validForm(override) }, officer);
    expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    expect(await counts()).toEqual(before);
  });

  it("is for officers only", async () => {
    const r = await app.gql(RECORD, { input: validForm() }, await app.token("WAST", Role.PARAMEDIC));
    expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
  });
});

describe("idempotency", () => {
  it("returns the first incident for a retry with the same key and payload", async () => {
    const form = validForm();
    const a = await app.gql(RECORD, { input: form }, officer);
    const before = await counts();
    const b = await app.gql(RECORD, { input: form }, officer);
    expect(b.errors).toBeUndefined();
    expect(b.data!.recordNaloxoneAdministration.id).toBe(a.data!.recordNaloxoneAdministration.id);
    expect(await counts()).toEqual(before);
  });

  it("answers CONFLICT when the same key comes with a different form", async () => {
    const form = validForm();
    await app.gql(RECORD, { input: form }, officer);
    const before = await counts();
    const r = await app.gql(RECORD, { input: { ...form, dosesAdministered: 3 } }, officer);
    expect(r.errors![0].extensions.code).toBe("CONFLICT");
    expect(await counts()).toEqual(before);
  });

  it("keeps keys per agency: another force may use the same key", async () => {
    const key = `shared-${randomUUID()}`;
    const dur = await app.gql(RECORD, { input: validForm({ idempotencyKey: key }) }, officer);
    const cle = await app.gql(RECORD, { input: validForm({ idempotencyKey: key, areaCode: "CLE-STOCKTON" }) }, await app.token("CLE", Role.OFFICER));
    expect(cle.errors).toBeUndefined();
    expect(cle.data!.recordNaloxoneAdministration.id).not.toBe(dur.data!.recordNaloxoneAdministration.id);
  });

  it("creates exactly one incident from 20 concurrent identical submissions", async () => {
    const form = validForm({ person: { givenName: "Concurrent", familyName: "Testcase", dateOfBirth: "1985-05-05" } });
    const before = await counts();
    const results = await Promise.all(Array.from({ length: 20 }, () => app.gql(RECORD, { input: form }, officer)));
    for (const r of results) expect(r.errors).toBeUndefined();
    const ids = new Set(results.map((r) => r.data!.recordNaloxoneAdministration.id));
    expect(ids.size).toBe(1);
    const after = await counts();
    expect(after.incidents - before.incidents).toBe(1);
    expect(after.people - before.people).toBe(1);
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'INCIDENT_RECORDED' AND "entityId" = $1`, [[...ids][0]]);
    expect(n).toBe(1);
  });
});

describe("people", () => {
  it("links the same person across forces by identity key, ignoring case and accents", async () => {
    const a = await app.gql(RECORD, { input: validForm({ person: { givenName: "Zoë", familyName: "Linkable-Testperson", dateOfBirth: "1988-08-08" } }) }, officer);
    const b = await app.gql(
      RECORD,
      { input: validForm({ areaCode: "CLE-STOCKTON", person: { givenName: "ZOE", familyName: "linkable testperson", dateOfBirth: "1988-08-08" } }) },
      await app.token("CLE", Role.OFFICER),
    );
    expect(b.data!.recordNaloxoneAdministration.person.id).toBe(a.data!.recordNaloxoneAdministration.person.id);
    const rows = await app.ds.query(`SELECT "identityKey" FROM person WHERE id = $1`, [a.data!.recordNaloxoneAdministration.person.id]);
    expect(rows[0].identityKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it("never merges people recorded without full names and date of birth", async () => {
    const input = () => validForm({ person: { givenName: "Nameless", ageYears: 30, gender: "FEMALE" } });
    const a = await app.gql(RECORD, { input: input() }, officer);
    const b = await app.gql(RECORD, { input: input() }, officer);
    expect(a.data!.recordNaloxoneAdministration.person.id).not.toBe(b.data!.recordNaloxoneAdministration.person.id);
  });

  it("audits each read of identifying fields: one row per request and person, naming the fields", async () => {
    const person = { givenName: "Audit", familyName: "Readtestperson", dateOfBirth: "1979-09-09" };
    const r = await app.gql(RECORD, { input: validForm({ person }) }, officer);
    const personId = r.data!.recordNaloxoneAdministration.person.id;
    const rows = await app.ds.query(`SELECT action, basis, fields, "actorSub" FROM audit_event WHERE "personId" = $1 AND action = 'PERSON_READ'`, [personId]);
    expect(rows).toEqual([{ action: "PERSON_READ", basis: "RECORDING_AGENCY", fields: ["ageYears", "dateOfBirth", "familyName", "gender", "givenName", "location"], actorSub: "pc-4711" }]);
  });

  it("never stores names in the audit log", async () => {
    const rows = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE detail::text ~* 'McFakeperson|Testy|1990-04-01'`);
    expect(rows[0].n).toBe(0);
  });
});
