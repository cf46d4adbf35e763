import { Role } from "../../src/core/auth/roles";
import { Topic } from "../../src/core/pubsub";
import { sweepSpikes } from "../../src/modules/aggregates/alert.service";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const openAlerts = (area: string) => app.ds.query(`SELECT id, h3, "window" FROM spike_alert WHERE "areaCode" = $1 AND "closedAt" IS NULL`, [area]);

describe("spike checks are wired to recording and to the periodic sweep", () => {
  it("a cluster recorded through the API raises alerts and announces them", async () => {
    const heard: string[] = [];
    const sub = app.pubsub.engine.subscribe(Topic.ALERT_RAISED);
    const listening = (async () => {
      for await (const e of sub) heard.push((e as { alertId: string }).alertId);
    })();
    const officer = await app.token("NYP", Role.OFFICER);
    for (let i = 0; i < 8; i++) {
      const r = await app.gql(RECORD, { input: validForm({ areaCode: "NYP-SCARBOROUGH", location: { lat: 54.2831, lng: -0.3998 }, person: null }) }, officer);
      expect(r.errors).toBeUndefined();
    }
    const alerts = await openAlerts("NYP-SCARBOROUGH");
    expect(alerts.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.sort()).toEqual(alerts.map((a: { id: string }) => a.id).sort());
    await sub.return?.(undefined);
    await listening;
  });

  it("the sweep catches up on incidents whose check never ran", async () => {
    const [{ id: agencyId }] = await app.ds.query(`SELECT id FROM agency WHERE code = 'NFK'`);
    const [{ id: personId }] = await app.ds.query(`INSERT INTO person ("createdByAgencyId") VALUES ($1) RETURNING id`, [agencyId]);
    for (let i = 0; i < 8; i++) {
      await app.ds.query(
        `INSERT INTO incident ("agencyId", "idempotencyKey", "requestHash", "recordedBySub", "occurredAt", "areaCode", "personId", "dosesAdministered", outcome,
           "seenByParamedics", "resupplyNeeded", "firstAidTriedtowakeverbally", "firstAidTiltedheadback", "firstAidCheckedbreathing", "firstAidRecoveryposition",
           "firstAidChestcompressions", "firstAidRescuebreaths", "firstAidClearedairways", "firstAidCheckedpulse")
         VALUES ($1, $2, 'x', 'sweep', now() - interval '1 hour', 'NFK-NORWICH', $3, 1, 'CONSCIOUS_AND_RESPONSIVE', true, false, true, true, true, true, false, false, true, true)`,
        [agencyId, `sweep-${i}`, personId],
      );
    }
    expect(await openAlerts("NFK-NORWICH")).toEqual([]);
    const result = await sweepSpikes({ dataSource: app.ds, config: app.config, pubsub: app.pubsub }, new Date());
    expect(result.opened.length).toBeGreaterThan(0);
    expect((await openAlerts("NFK-NORWICH")).length).toBe(result.opened.length);
  });
});
