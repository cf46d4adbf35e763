import type { DataSource } from "typeorm";
import { h3Cells } from "../../src/modules/incidents/incident.policy";

export interface BulkIncident {
  agencyCode: string;
  areaCode: string;
  occurredAt: Date;
  location?: { lat: number; lng: number } | null;
  substances?: string[];
  outcome?: string;
}

/**
 * Many synthetic incidents in one INSERT, for volume and spike tests where recording hundreds through
 * the API would only slow the suite. Everything else goes through the API.
 */
export async function insertIncidents(ds: DataSource, rows: BulkIncident[]): Promise<void> {
  if (rows.length === 0) return;
  const agencies = new Map<string, string>((await ds.query(`SELECT code, id FROM agency`)).map((r: { code: string; id: string }) => [r.code, r.id]));
  const [person] = await ds.query(`INSERT INTO person ("createdByAgencyId") VALUES ($1) RETURNING id`, [agencies.get(rows[0].agencyCode)]);
  const params: unknown[] = [];
  const values = rows.map((r, k) => {
    const cells = h3Cells(r.location ?? null);
    const v = [
      agencies.get(r.agencyCode), `bulk-${Date.now()}-${k}-${Math.random().toString(36).slice(2)}`, r.occurredAt, r.areaCode,
      r.location?.lat ?? null, r.location?.lng ?? null, cells.h3r5, cells.h3r6, cells.h3r7, cells.h3r8, cells.h3r9,
      person.id, r.substances ?? [], r.outcome ?? "CONSCIOUS_AND_RESPONSIVE",
    ];
    const ph = v.map((x) => `$${params.push(x)}`);
    return `(${ph[0]}, ${ph[1]}, 'bulk', 'bulk', ${ph[2]}, ${ph[3]}, ${ph[4]}, ${ph[5]}, ${ph[6]}, ${ph[7]}, ${ph[8]}, ${ph[9]}, ${ph[10]}, ${ph[11]},
      ${ph[12]}::substance[], ${ph[13]}::outcome, 1, true, false, true, true, true, true, false, false, true, true)`;
  });
  await ds.query(
    `INSERT INTO incident ("agencyId", "idempotencyKey", "requestHash", "recordedBySub", "occurredAt", "areaCode", lat, lng, h3r5, h3r6, h3r7, h3r8, h3r9,
       "personId", substances, outcome, "dosesAdministered", "seenByParamedics", "resupplyNeeded",
       "firstAidTriedtowakeverbally", "firstAidTiltedheadback", "firstAidCheckedbreathing", "firstAidRecoveryposition",
       "firstAidChestcompressions", "firstAidRescuebreaths", "firstAidClearedairways", "firstAidCheckedpulse")
     VALUES ${values.join(", ")}`,
    params,
  );
}
