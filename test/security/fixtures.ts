import { Role } from "../../src/core/auth/roles";
import { sealEverything } from "../helpers/seal";
import type { TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";
import { sealAuditLog } from "../../src/core/audit/sealer";
import { auditSigner } from "../../src/core/audit/signing";
import { verifyStoredLog } from "../../src/core/audit/tree-store";

/**
 * Who calls each mutation in the security tests: an actor the permission map lets through, so inputs
 * reach validation and the services rather than stopping at FORBIDDEN. A mutation missing here is
 * still fuzzed, by every actor in turn (and a test lists it as missing).
 */
export const ACTOR_FOR: Record<string, { agency: string; role: Role }> = {
  createAgency: { agency: "HUB", role: Role.ADMIN },
  configureRoute: { agency: "HUB", role: Role.ADMIN },
  recordNaloxoneAdministration: { agency: "CLE", role: Role.OFFICER },
  recordHandover: { agency: "NEAS", role: Role.PARAMEDIC },
  recordConsent: { agency: "CLE", role: Role.OFFICER },
  withdrawConsent: { agency: "CLE", role: Role.OFFICER },
  requestEmergencyAccess: { agency: "MASH-DUR", role: Role.MASH_REVIEWER },
  reviewEmergencyGrant: { agency: "HUB", role: Role.AUDITOR },
  acceptReferral: { agency: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  declineReferral: { agency: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  recordContactAttempt: { agency: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  forwardReferral: { agency: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  closeReferral: { agency: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  registerCaseload: { agency: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  runScreeningCheck: { agency: "HRT-SW", role: Role.HARM_REDUCTION_LEAD },
  completeReview: { agency: "HRT-SW", role: Role.HARM_REDUCTION_LEAD },
  assignReview: { agency: "HRT-SW", role: Role.HARM_REDUCTION_LEAD },
  recordPrisonRelease: { agency: "PRISON-5", role: Role.PRISON_NALOXONE_LEAD },
  recordStockMovement: { agency: "CLE", role: Role.FORCE_LEAD },
  recordStockCount: { agency: "CLE", role: Role.FORCE_LEAD },
  setDistributionPaused: { agency: "CLE", role: Role.FORCE_LEAD },
  registerOfficer: { agency: "CLE", role: Role.FORCE_LEAD },
  recordTraining: { agency: "CLE", role: Role.FORCE_LEAD },
  recordFunding: { agency: "HUB", role: Role.PROGRAMME_LEAD },
  setProgrammeStatus: { agency: "HUB", role: Role.PROGRAMME_LEAD },
};

export interface Fixture {
  incidentId: string;
  personId: string;
  consentId: string;
  referralId: string;
  reviewId: string;
  grantId: string;
  durPersonId: string;
}

let n = 0;
/** Synthetic names of letters only, unique per call. */
export const fakeName = (prefix = "Fuzz") => {
  n++;
  return `${prefix}${"abcdefghij"[n % 10]}${"abcdefghij"[Math.floor(n / 10) % 10]}${"abcdefghij"[Math.floor(n / 100) % 10]}`;
};

type Part = "referral" | "review" | "grant";
const ALL_PARTS: Part[] = ["referral", "review", "grant"];

/**
 * Fresh records the mutations act on: a Cleveland incident with on-scene consent and the referral it
 * created (part "referral"), a South Wales incident and its 72-hour review ("review"), a Durham person
 * under an emergency grant ("grant"). Parts not asked for are left empty.
 */
export async function makeFixture(app: TestApp, parts: Part[] = ALL_PARTS): Promise<Fixture> {
  const ok = <T>(r: { errors?: unknown; data?: T | null }): T => {
    if (r.errors) throw new Error(`fixture failed: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  };
  const fx: Fixture = { incidentId: "", personId: "", consentId: "", referralId: "", reviewId: "", grantId: "", durPersonId: "" };
  // Programme monitoring: Cleveland's officer 4711 on the roster (registering again changes nothing).
  ok(await app.gql(`mutation { registerOfficer(input: { collarNumber: "4711", role: RESPONSE_OFFICER, areaCode: "CLE-STOCKTON", carries: true }) { id } }`, {}, await app.token("CLE", Role.FORCE_LEAD)));
  if (parts.includes("referral")) {
    const cle = ok<any>(
      await app.gql(
        RECORD,
        {
          input: validForm({
            areaCode: "CLE-STOCKTON",
            person: { givenName: fakeName(), familyName: "Securitytest", dateOfBirth: "1985-05-05" },
            consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" },
          }),
        },
        await app.token("CLE", Role.OFFICER),
      ),
    ).recordNaloxoneAdministration;
    const [{ id: referralId }] = await app.ds.query(`SELECT id FROM referral WHERE "incidentId" = $1`, [cle.id]);
    const [{ id: consentId }] = await app.ds.query(`SELECT id FROM consent WHERE "personId" = $1`, [cle.person.id]);
    Object.assign(fx, { incidentId: cle.id, personId: cle.person.id, consentId, referralId });
  }
  if (parts.includes("review")) {
    const swp = ok<any>(await app.gql(RECORD, { input: validForm({ areaCode: "SWP-CARDIFF", person: { givenName: fakeName(), familyName: "Reviewtest", dateOfBirth: "1979-07-07" } }) }, await app.token("SWP", Role.OFFICER))).recordNaloxoneAdministration;
    const [{ id: reviewId }] = await app.ds.query(`SELECT id FROM review WHERE "incidentId" = $1`, [swp.id]);
    fx.reviewId = reviewId;
  }
  if (parts.includes("grant")) {
    const dur = ok<any>(await app.gql(RECORD, { input: validForm({ person: { givenName: fakeName(), familyName: "Granttest", dateOfBirth: "1991-01-01" } }) }, await app.token("DUR", Role.OFFICER))).recordNaloxoneAdministration;
    const grant = ok<any>(
      await app.gql(
        `mutation($p: ID!) { requestEmergencyAccess(personId: $p, basis: SAFEGUARDING, justification: "Child at the address reported at risk on scene") { id } }`,
        { p: dur.person.id },
        await app.token("MASH-DUR", Role.MASH_REVIEWER),
      ),
    ).requestEmergencyAccess;
    Object.assign(fx, { durPersonId: dur.person.id, grantId: grant.id });
  }
  return fx;
}

/** Row counts of every table, and audit rows other than audited refusals (which a refusal may write by design). */
const snapshotSql = new WeakMap<TestApp, string>();
export async function snapshot(app: TestApp): Promise<Record<string, number>> {
  let sql = snapshotSql.get(app);
  if (!sql) {
    const tables: Array<{ tablename: string }> = await app.ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
    const parts = tables.map((t) => `'${t.tablename}', (SELECT count(*) FROM "${t.tablename}")`);
    parts.push(`'audit_event (not refusals)', (SELECT count(*) FROM audit_event WHERE action NOT LIKE '%DENIED%')`);
    // Tables are listed afresh by a second query, so a table dropped or added shows as a difference.
    parts.push(`'tables', (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')`);
    sql = `SELECT json_build_object(${parts.join(", ")}) AS counts`;
    snapshotSql.set(app, sql);
  }
  const [{ counts }] = await app.ds.query(sql);
  return counts;
}

/** Seals every pending audit row, then re-computes the whole Merkle tree and every checkpoint from the rows. */
export async function auditChainIntact(app: TestApp): Promise<boolean> {
  await sealEverything(app.config, app.ds);
  const signer = await auditSigner({ config: app.config, dataSource: app.ds });
  const v = await verifyStoredLog(app.ds, signer.publicKey, signer.keyName);
  const [{ unsealed }] = await app.ds.query(`SELECT count(*)::int AS unsealed FROM audit_event WHERE "chainSeq" IS NULL`);
  return v.intact && v.rowsChecked > 0 && unsealed === 0 && (await app.ds.query(`SELECT * FROM audit_chain_first_break()`)).length === 0;
}

/**
 * A valid call of each mutation against a fixture: the starting point that fuzzing and injection
 * tests bend one field at a time, so that inputs reach the services and not only GraphQL coercion.
 */
export const VALID: Record<string, (fx: Fixture) => Record<string, unknown>> = {
  createAgency: () => ({ input: { code: `FZ-${fakeName("A").toUpperCase()}`, name: "Fuzz Recovery Service", kind: "TREATMENT_SERVICE", areaCodes: ["CLE-STOCKTON"] } }),
  configureRoute: () => ({ input: { areaCode: "CLE-STOCKTON", pathway: "DIRECT_TREATMENT", targetAgencyCode: "TS-TEESSIDE", slaHours: 72 } }),
  recordNaloxoneAdministration: () => ({ input: validForm({ areaCode: "CLE-STOCKTON", person: { givenName: fakeName(), familyName: "Fuzzperson", dateOfBirth: "1988-08-08" } }) }),
  recordHandover: (fx) => ({
    input: {
      incidentId: fx.incidentId,
      idempotencyKey: `ho-${fakeName().toLowerCase()}-${Date.now()}`,
      handedOverAt: new Date(Date.now() - 3600_000).toISOString(),
      cadReference: "CAD/2026/0001",
      patientCondition: "Breathing, drowsy",
      circumstances: "Found in a stairwell",
      accompanyingPeople: 1,
      dosesGivenBeforeArrival: 1,
      officerCollarNumber: "4711",
      conveyedToHospital: true,
      refusedCare: false,
    },
  }),
  recordConsent: (fx) => ({ personId: fx.personId, input: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-TEESSIDE"], method: "VERBAL" } }),
  withdrawConsent: (fx) => ({ consentId: fx.consentId, reason: "Asked us to stop" }),
  requestEmergencyAccess: (fx) => ({ personId: fx.durPersonId, basis: "SAFEGUARDING", justification: "Child at the address reported at risk on scene" }),
  reviewEmergencyGrant: (fx) => ({ id: fx.grantId, outcome: "APPROPRIATE", note: "Risk to a child was real" }),
  acceptReferral: (fx) => ({ id: fx.referralId }),
  declineReferral: (fx) => ({ id: fx.referralId, reason: "Already known to our team" }),
  recordContactAttempt: (fx) => ({ id: fx.referralId, input: { method: "PHONE", outcome: "NO_ANSWER", note: "Left no message" } }),
  forwardReferral: (fx) => ({ id: fx.referralId, toAgencyCode: "TS-TEESSIDE" }),
  closeReferral: (fx) => ({ id: fx.referralId, outcome: "NO_FURTHER_ACTION" }),
  registerCaseload: () => ({ entries: [{ givenName: "Casey", familyName: "Fuzzperson", dateOfBirth: "1980-01-01" }] }),
  runScreeningCheck: (fx) => ({ reviewId: fx.reviewId }),
  completeReview: (fx) => ({ id: fx.reviewId, input: { actions: ["Call the person"], notifyAgencyCodes: [], shareWithTaskforce: false } }),
  assignReview: (fx) => ({ id: fx.reviewId, reviewerSub: "hrl-fuzz", caseCoordinatorSub: "cc-fuzz" }),
  recordPrisonRelease: () => ({
    input: {
      idempotencyKey: `rel-${fakeName().toLowerCase()}-${Date.now()}`,
      person: { givenName: fakeName(), familyName: "Fuzzperson", dateOfBirth: "1985-05-05" },
      opioidUseIdentified: true,
      pointOfOffer: "CARE_OR_RECOVERY_PLANNING",
      offerOutcome: "ACCEPTED",
      trainedOn: "2026-08-10",
      trainerType: "NALOXONE_LEAD",
      kitIssued: true,
      kitHeldIn: "PROPERTY",
      releaseDate: "2026-09-15",
      releaseType: "RELEASED",
      releasedWithKit: true,
    },
  }),
  recordStockMovement: () => ({
    input: {
      idempotencyKey: `mv-${fakeName().toLowerCase()}-${Date.now()}`,
      kind: "PROCURED",
      kits: 4,
      batch: `B-${fakeName()}`,
      expiresOn: "2029-06-30",
      location: { kind: "STATION", reference: "Stockton custody suite" },
      at: new Date(Date.now() - 3600_000).toISOString(),
    },
  }),
  recordStockCount: () => ({ input: { idempotencyKey: `ct-${fakeName().toLowerCase()}-${Date.now()}`, location: { kind: "OFFICER", reference: "4711" }, kits: 0, at: new Date(Date.now() - 60_000).toISOString() } }),
  setDistributionPaused: () => ({ input: { paused: true, reason: `Supply review ${fakeName()}` } }),
  registerOfficer: () => ({ input: { collarNumber: "4711", role: "RESPONSE_OFFICER", areaCode: "CLE-STOCKTON", carries: true, rolloutPhase: "RESPONSE_AND_PCSO" } }),
  recordTraining: () => ({
    input: {
      idempotencyKey: `tr-${fakeName().toLowerCase()}-${Date.now()}`,
      collarNumber: "4711",
      trainedOn: "2026-02-01",
      mode: "IN_PERSON_STANDALONE",
      provider: "EXTERNAL",
      providerName: "A charity",
      modules: ["ADDICTION"],
      confidenceBefore: 4,
      confidenceAfter: 8,
    },
  }),
  recordFunding: () => ({ input: { forceCode: "CLE", strand: "MONITORING_AND_SUPPLY", source: "UNKNOWN", available: 1000, allocated: 500, spent: 250.5, periodStart: "2026-04-01", periodEnd: null } }),
  setProgrammeStatus: () => ({ input: { forceCode: "CLE", carriageStatus: "ONGOING", adder: true, adderArea: "Cleveland", dataReceived: true, asOf: "2026-11-01" } }),
};

/**
 * Mutations whose success changes the fixture's state (a referral accepted, a grant reviewed): each
 * case gets fresh records of the part it needs, brought to the state the mutation starts from.
 */
export const CONSUMES: Record<string, { part: Part; prepare?: (app: TestApp, fx: Fixture) => Promise<void> }> = {
  withdrawConsent: { part: "referral" },
  reviewEmergencyGrant: { part: "grant" },
  acceptReferral: { part: "referral" },
  declineReferral: { part: "referral" },
  recordContactAttempt: {
    part: "referral",
    prepare: async (app, fx) => {
      const r = await app.gql(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id: fx.referralId }, await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER));
      if (r.errors) throw new Error(`prepare failed: ${JSON.stringify(r.errors)}`);
    },
  },
  forwardReferral: { part: "referral" },
  closeReferral: { part: "referral" },
  completeReview: { part: "review" },
};

export async function fixtureFor(app: TestApp, mutation: string, shared: Fixture): Promise<Fixture> {
  const c = CONSUMES[mutation];
  if (!c) return shared;
  const fx = { ...shared, ...(await freshPart(app, c.part)) };
  await c.prepare?.(app, fx);
  return fx;
}

async function freshPart(app: TestApp, part: Part): Promise<Partial<Fixture>> {
  const fx = await makeFixture(app, [part]);
  return Object.fromEntries(Object.entries(fx).filter(([, v]) => v !== ""));
}

/** True when some text, varchar, text[] or jsonb value in the database equals `value` exactly. */
const verbatimSql = new WeakMap<TestApp, string>();
export async function storedVerbatim(app: TestApp, value: string): Promise<boolean> {
  const sql = verbatimSql.get(app) ?? (await buildVerbatimSql(app));
  verbatimSql.set(app, sql);
  const [{ found }] = await app.ds.query(sql, [value]);
  return found;
}

async function buildVerbatimSql(app: TestApp): Promise<string> {
  const cols: Array<{ table_name: string; column_name: string; data_type: string; udt_name: string }> = await app.ds.query(
    `SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns
     WHERE table_schema = 'public' AND (data_type IN ('text', 'character varying', 'jsonb') OR udt_name IN ('_text', '_varchar'))`,
  );
  const tests = cols.map((c) => {
    const col = `t."${c.column_name}"`;
    const cond =
      c.data_type === "jsonb" ? `jsonb_path_exists(${col}, 'strict $.** ? (@ == $v)', jsonb_build_object('v', $1::text))` : c.data_type === "ARRAY" ? `$1 = ANY(${col})` : `${col} = $1`;
    return `EXISTS (SELECT 1 FROM "${c.table_name}" t WHERE ${cond})`;
  });
  return `SELECT (${tests.join(" OR ")}) AS found`;
}
