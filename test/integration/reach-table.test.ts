import { AgencyKind, Role } from "../../src/core/auth/roles";
import { reach, type ReachRule, type Viewer } from "../../src/permissions/reach";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * The reach table: every record kind × every kind of viewer × rows in every arrangement. For each
 * cell the expected answer is written here from the rule's words (independently of reach.ts); the
 * kind's pure check and its SQL fragment, run against the same rows in PostgreSQL, must both give it.
 * So the check a service applies to one row and the SQL its list query runs cannot drift apart.
 */
let app: TestApp;
const ids = new Map<string, string>();
const agencies = new Map<string, { id: string; code: string; kind: AgencyKind; areaCodes: string[] }>();
beforeAll(async () => {
  app = await createTestApp();
  for (const a of await app.ds.query(`SELECT id, code, kind, "areaCodes" FROM agency`)) {
    ids.set(a.code, a.id);
    agencies.set(a.code, a);
  }
});
afterAll(() => app.close());

const VIEWERS: Array<{ code: string; role: Role }> = [
  { code: "DUR", role: Role.OFFICER },
  { code: "CLE", role: Role.OFFICER },
  { code: "NEAS", role: Role.PARAMEDIC },
  { code: "NWAS", role: Role.PARAMEDIC },
  { code: "TS-DURHAM", role: Role.TREATMENT_WORKER },
  { code: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  { code: "MASH-DUR", role: Role.MASH_REVIEWER },
  { code: "HRT-SW", role: Role.HARM_REDUCTION_LEAD },
  { code: "PRISON-5", role: Role.PRISON_NALOXONE_LEAD },
  { code: "PROB-NE", role: Role.ANALYST },
  { code: "PH-ENG", role: Role.ANALYST },
  { code: "HUB", role: Role.AUDITOR },
  { code: "HUB", role: Role.ADMIN },
];
const viewer = (code: string, role: Role): Viewer => {
  const a = agencies.get(code)!;
  return { agencyId: a.id, agencyCode: a.code, agencyKind: a.kind, areaCodes: a.areaCodes, auditor: a.kind === AgencyKind.HUB_OPERATOR && role === Role.AUDITOR };
};
const name = (code: string) => [...ids.entries()].find(([, id]) => id === code)?.[0] ?? code;

let n = 0;
async function person(): Promise<string> {
  n++;
  const [p] = await app.ds.query(`INSERT INTO person ("givenName", "familyName", "createdByAgencyId") VALUES ($1, 'Reachtestperson', $2) RETURNING id`, [`Reach${"abcdefghij"[n % 10]}${"abcdefghij"[Math.floor(n / 10) % 10]}`, ids.get("DUR")]);
  return p.id;
}
async function incident(agency: string, areaCode: string, personId: string): Promise<string> {
  n++;
  const [row] = await app.ds.query(
    `INSERT INTO incident ("agencyId", "idempotencyKey", "requestHash", "recordedBySub", "occurredAt", "areaCode", "personId",
       "dosesAdministered", outcome, "seenByParamedics", "resupplyNeeded",
       "firstAidTriedtowakeverbally", "firstAidTiltedheadback", "firstAidCheckedbreathing", "firstAidRecoveryposition",
       "firstAidChestcompressions", "firstAidRescuebreaths", "firstAidClearedairways", "firstAidCheckedpulse")
     VALUES ($1, $2, 'x', 'reach', now() - interval '3 hours', $3, $4, 1, 'CONSCIOUS_AND_RESPONSIVE', true, false, true, true, true, true, false, false, true, true) RETURNING id`,
    [ids.get(agency), `reach-${n}`, areaCode, personId],
  );
  return row.id;
}

/** Puts one kind's check and SQL to every viewer over the rows; returns the number of cells compared. */
async function table<F>(kind: string, rule: ReachRule<F>, tableName: string, rows: Array<{ id: string; facts: F }>, expected: (v: Viewer, f: F) => boolean): Promise<number> {
  const failures: string[] = [];
  for (const { code, role } of VIEWERS) {
    const v = viewer(code, role);
    const frag = rule.sql(v, "t");
    const raw: Array<{ id: string }> = await app.ds
      .createQueryBuilder()
      .select("t.id", "id")
      .from(tableName, "t")
      .where("t.id IN (:...reach_test_ids)", { reach_test_ids: rows.map((r) => r.id) })
      .andWhere(frag.sql, frag.params)
      .getRawMany();
    const bySql = new Set(raw.map((r) => String(r.id)));
    for (const row of rows) {
      const want = expected(v, row.facts);
      const check = rule.check(v, row.facts);
      const sql = bySql.has(String(row.id));
      if (check !== want || sql !== want) failures.push(`${kind} ${code}/${role} ${JSON.stringify(row.facts, (_k, val) => (typeof val === "string" ? name(val) : val))}: expected ${want}, check ${check}, sql ${sql}`);
    }
  }
  expect(failures).toEqual([]);
  return VIEWERS.length * rows.length;
}

describe("the reach table: each kind's check and SQL agree with the rule, for every viewer", () => {
  it("incidents, handovers, referrals, reviews, consents, grants, prison releases and alerts", async () => {
    const D = (c: string) => ids.get(c)!;
    // Incidents in every arrangement of recorder × handover × referral × review.
    const incidents: Array<{ id: string; personId: string; areaCode: string; agencyId: string; handovers: string[]; referrals: Array<{ to: string; from: string }>; reviews: string[] }> = [];
    for (const [rec, area] of [["DUR", "DUR-DURHAM"], ["CLE", "CLE-STOCKTON"]]) {
      for (const ho of [null, "NEAS", "NWAS"]) {
        for (const ref of [null, "TS-DURHAM", "MASH-DUR", "MASH-DUR>TS-DURHAM"]) {
          for (const rev of [null, "HRT-SW"]) {
            const personId = await person();
            const id = await incident(rec, area, personId);
            const row = { id, personId, areaCode: area, agencyId: D(rec), handovers: [] as string[], referrals: [] as Array<{ to: string; from: string }>, reviews: [] as string[] };
            if (ho) {
              await app.ds.query(`INSERT INTO handover ("incidentId", "agencyId", "idempotencyKey", "requestHash", "recordedBySub", "handedOverAt") VALUES ($1, $2, $3, 'x', 'reach', now())`, [id, D(ho), `reach-ho-${id}`]);
              row.handovers.push(D(ho));
            }
            const refs = ref === null ? [] : ref.includes(">") ? [{ to: "MASH-DUR", from: rec, pathway: "MASH_SAFEGUARDING" }, { to: "TS-DURHAM", from: "MASH-DUR", pathway: "DIRECT_TREATMENT" }] : [{ to: ref, from: rec, pathway: ref === "MASH-DUR" ? "MASH_SAFEGUARDING" : "DIRECT_TREATMENT" }];
            for (const r of refs) {
              await app.ds.query(`INSERT INTO referral (pathway, "incidentId", "personId", "fromAgencyId", "toAgencyId", "dueAt") VALUES ($1, $2, $3, $4, $5, now() + interval '72 hours')`, [r.pathway, id, personId, D(r.from), D(r.to)]);
              row.referrals.push({ to: D(r.to), from: D(r.from) });
            }
            if (rev) {
              await app.ds.query(`INSERT INTO review ("incidentId", "personId", "agencyId", "dueAt") VALUES ($1, $2, $3, now() + interval '72 hours')`, [id, personId, D(rev)]);
              row.reviews.push(D(rev));
            }
            incidents.push(row);
          }
        }
      }
    }
    let cells = 0;

    // An agency reaches the incidents it recorded, took a handover for, or holds a referral or review of.
    cells += await table("incident", reach.incident, "incident",
      incidents.map((i) => ({ id: i.id, facts: { agencyId: i.agencyId, handoverAgencyIds: i.handovers, referralAgencyIds: i.referrals.map((r) => r.to), reviewAgencyIds: i.reviews } })),
      (v, f) => [f.agencyId, ...f.handoverAgencyIds, ...f.referralAgencyIds, ...f.reviewAgencyIds].includes(v.agencyId));

    // A handover may be recorded by an ambulance service serving the incident's area.
    cells += await table("incidentToHandOver", reach.incidentToHandOver, "incident",
      incidents.map((i) => ({ id: i.id, facts: { areaCode: i.areaCode } })),
      (v, f) => v.agencyKind === AgencyKind.AMBULANCE_SERVICE && v.areaCodes.includes(f.areaCode));

    // A handover: the ambulance service that took it and the force that recorded the incident.
    const handovers: Array<{ id: string; agencyId: string; incidentId: string }> = await app.ds.query(`SELECT id, "agencyId", "incidentId" FROM handover WHERE "incidentId" = ANY($1::uuid[])`, [incidents.map((i) => i.id)]);
    cells += await table("handover", reach.handover, "handover",
      handovers.map((h) => ({ id: h.id, facts: { agencyId: h.agencyId, incidentAgencyId: incidents.find((i) => i.id === h.incidentId)!.agencyId } })),
      (v, f) => v.agencyId === f.agencyId || v.agencyId === f.incidentAgencyId);

    // A referral is read by the agency it went to and the one it came from; acted on by the receiver only.
    const referrals: Array<{ id: string; toAgencyId: string; fromAgencyId: string }> = await app.ds.query(`SELECT id, "toAgencyId", "fromAgencyId" FROM referral WHERE "incidentId" = ANY($1::uuid[])`, [incidents.map((i) => i.id)]);
    const refRows = referrals.map((r) => ({ id: r.id, facts: { toAgencyId: r.toAgencyId, fromAgencyId: r.fromAgencyId } }));
    cells += await table("referral", reach.referral, "referral", refRows, (v, f) => v.agencyId === f.toAgencyId || v.agencyId === f.fromAgencyId);
    cells += await table("referralToAct", reach.referralToAct, "referral", refRows, (v, f) => v.agencyId === f.toAgencyId);

    // A review: the team that holds it.
    const reviews: Array<{ id: string; agencyId: string }> = await app.ds.query(`SELECT id, "agencyId" FROM review WHERE "incidentId" = ANY($1::uuid[])`, [incidents.map((i) => i.id)]);
    cells += await table("review", reach.review, "review", reviews.map((r) => ({ id: r.id, facts: { agencyId: r.agencyId } })), (v, f) => v.agencyId === f.agencyId);

    // A consent: an auditor, the agency that recorded it, an agency it names by code, or by kind where that agency serves an area of the person's incidents.
    const durPerson = incidents.find((i) => i.areaCode === "DUR-DURHAM")!;
    const clePerson = incidents.find((i) => i.areaCode === "CLE-STOCKTON")!;
    const consents: Array<{ id: string; facts: { recordedByAgencyId: string; recipientAgencyCodes: string[]; recipientKinds: string[]; personAreaCodes: string[] } }> = [];
    for (const by of ["DUR", "TS-DURHAM", "NEAS"]) {
      for (const codes of [[], ["TS-DURHAM"], ["MASH-DUR", "DUR"], ["NWAS"]]) {
        for (const kinds of [[], ["TREATMENT_SERVICE"], ["AMBULANCE_SERVICE", "MASH"], ["POLICE_FORCE"]]) {
          for (const p of [durPerson, clePerson]) {
            const [c] = await app.ds.query(
              `INSERT INTO consent ("personId", decision, purposes, "recipientKinds", "recipientAgencyCodes", method, "obtainedAt", "recordedByAgencyId", "recordedBySub")
               VALUES ($1, 'GIVEN', '{TREATMENT_REFERRAL}', $2::agency_kind[], $3, 'VERBAL', now() - interval '1 hour', $4, 'reach') RETURNING id`,
              [p.personId, kinds, codes, D(by)],
            );
            consents.push({ id: c.id, facts: { recordedByAgencyId: D(by), recipientAgencyCodes: codes, recipientKinds: kinds, personAreaCodes: [p.areaCode] } });
          }
        }
      }
    }
    cells += await table("consent", reach.consent, "consent", consents,
      (v, f) => v.auditor || v.agencyId === f.recordedByAgencyId || f.recipientAgencyCodes.includes(v.agencyCode) || (f.recipientKinds.includes(v.agencyKind) && v.areaCodes.some((a) => f.personAreaCodes.includes(a))));

    // A grant: its holder, and auditors.
    const grants: Array<{ id: string; facts: { agencyId: string } }> = [];
    for (const holder of ["MASH-DUR", "NEAS", "HRT-SW"]) {
      const [g] = await app.ds.query(
        `INSERT INTO access_grant ("personId", "agencyId", "grantedToSub", basis, justification, "grantedAt", "expiresAt") VALUES ($1, $2, 'reach', 'VITAL_INTERESTS', 'reach table emergency justification', now(), now() + interval '1 hour') RETURNING id`,
        [durPerson.personId, D(holder)],
      );
      grants.push({ id: g.id, facts: { agencyId: D(holder) } });
    }
    cells += await table("grant", reach.grant, "access_grant", grants, (v, f) => v.auditor || v.agencyId === f.agencyId);

    // A prison release record: the prison that made it, nobody else.
    const releases: Array<{ id: string; facts: { agencyId: string } }> = [];
    for (const prison of ["PRISON-3", "PRISON-5"]) {
      const [r] = await app.ds.query(
        `INSERT INTO prison_release ("agencyId", "idempotencyKey", "requestHash", "recordedBySub", "opioidUseIdentified", "offerOutcome", "kitIssued", "releaseDate", "releaseType", "releasedWithKit")
         VALUES ($1, $2, 'x', 'reach', true, 'ACCEPTED', true, '2026-09-15', 'RELEASED', true) RETURNING id`,
        [D(prison), `reach-rel-${prison}`],
      );
      releases.push({ id: r.id, facts: { agencyId: D(prison) } });
    }
    cells += await table("prisonRelease", reach.prisonRelease, "prison_release", releases, (v, f) => v.agencyId === f.agencyId);

    // A spike alert: agencies serving its area; the hub operator sees all.
    const alerts: Array<{ id: string; facts: { areaCode: string } }> = [];
    for (const area of ["DUR-DURHAM", "CLE-STOCKTON", "LAN-BLACKPOOL"]) {
      const [a] = await app.ds.query(
        `INSERT INTO spike_alert ("areaCode", h3, "window", "openedAt", "lastEvaluatedAt", count, "peakCount", "baselineCount", expected, "pValue") VALUES ($1, NULL, 'HOURS_24', now(), now(), 9, 9, 1, 0.1, 0.0001) RETURNING id`,
        [area],
      );
      alerts.push({ id: a.id, facts: { areaCode: area } });
    }
    cells += await table("alert", reach.alert, "spike_alert", alerts, (v, f) => v.agencyKind === AgencyKind.HUB_OPERATOR || v.areaCodes.includes(f.areaCode));

    expect(Object.keys(reach).sort()).toEqual(["alert", "consent", "grant", "handover", "incident", "incidentToHandOver", "prisonRelease", "referral", "referralToAct", "review"]);
    expect(cells).toBeGreaterThan(3000);
  }, 120_000);
});
