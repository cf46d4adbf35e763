import { In, type SelectQueryBuilder } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import { auditedTransaction } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { isUuid } from "../../core/ids.js";
import { loadPlain } from "../../core/plain-rows.js";
import { badInput, conflict, notFound } from "../../core/errors.js";
import { createOnce, insertOnce, requestHash } from "../../core/idempotency.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";
import { decodeCursor, pageSize, toConnection } from "../../core/pagination.js";
import { safeErrorForLog } from "../../core/format-error.js";
import { recordAdministrationKits } from "../kits/kit.usage.js";
import { checkSpikesAfterCommit } from "./spike-after-record.js";
import { ConsentService } from "../consent/consent.service.js";
import { resolvePerson } from "../people/person.service.js";
import { announce, routeIncidents, type Routed } from "../referrals/routing.service.js";
import { Incident } from "./incident.entity.js";
import { checkAdministration, h3Cells, responseMinutes } from "./incident.policy.js";
import type { HandoverCandidate, HandoverLookup, IncidentConnection, IncidentFilter, NaloxoneAdministrationInput } from "./incident.types.js";
import { Agency } from "../agencies/agency.entity.js";

/** How far either side of the paramedic's time the handover lookup searches. */
export const HANDOVER_LOOKUP_HOURS = 3;
/** At most this many candidates: a lookup picks one incident, it is not a list to browse. */
const HANDOVER_LOOKUP_MAX = 5;

export class IncidentService {
  constructor(private readonly deps: ServiceDeps) {}

  async record(actor: Actor, input: NaloxoneAdministrationInput): Promise<Incident> {
    const { dataSource: ds, config, clock } = this.deps;
    const collar = input.officerCollarNumber ?? actor.collarNumber ?? null;
    const hash = requestHash({ ...input, officerCollarNumber: collar } as unknown as Record<string, unknown>);

    const consents = new ConsentService(this.deps);
    let routed: Routed | null = null;
    const incident = await createOnce({
      hash,
      find: async () => (await loadPlain(ds, Incident, `t."agencyId" = $1 AND t."idempotencyKey" = $2`, [actor.agency.id, input.idempotencyKey]))[0] ?? null,
      onConflict: () => conflict("idempotencyKey: already used for a different form; use a new key for a new incident"),
      validate: async () => {
        const problems = checkAdministration(input, { now: clock.now(), clockSkewSeconds: config.clockSkewSeconds, servedAreas: actor.agency.areaCodes });
        if (problems.length > 0) throw badInput(problems);
        if (input.consent) await consents.checkInput(ds.manager, input.consent, "consent.");
      },
      create: () =>
        auditedTransaction(ds, actor, async (m, trail) => {
          const personId = await resolvePerson(m, config.identityKeySecret, actor.agency.id, input.person);
          const id = await insertOnce(m, Incident, {
            agencyId: actor.agency.id,
            idempotencyKey: input.idempotencyKey,
            requestHash: hash,
            recordedBySub: actor.sub,
            occurredAt: input.occurredAt,
            areaCode: input.areaCode,
            lat: input.location?.lat ?? null,
            lng: input.location?.lng ?? null,
            ...h3Cells(input.location),
            personId,
            substances: input.substances ?? [],
            dosesAdministered: input.dosesAdministered,
            firstAid: { ...input.firstAid, checkedForResponse: input.firstAid.checkedForResponse ?? null },
            outcome: input.outcome,
            ambulanceCalledAt: input.ambulanceCalledAt ?? null,
            ambulanceArrivedAt: input.ambulanceArrivedAt ?? null,
            ambulanceResponseMinutes: responseMinutes(input.ambulanceCalledAt, input.ambulanceArrivedAt),
            seenByParamedics: input.seenByParamedics,
            resupplyNeeded: input.resupplyNeeded,
            kitsRequired: input.kitsRequired ?? null,
            paraphernaliaPresent: input.paraphernaliaPresent ?? null,
            disposition: input.disposition ?? null,
            officerCollarNumber: collar,
            ambulanceCadReference: input.ambulanceCadReference ?? null,
          });
          trail.add({
            action: "INCIDENT_RECORDED",
            entityType: "Incident",
            entityId: id,
            personId,
            detail: { areaCode: input.areaCode, withPersonDetails: !!input.person },
          });
          // The decision taken on scene, if any, in the same transaction as the form.
          if (input.consent) await consents.insert(m, trail, actor, personId, input.consent, id);
          routed = await routeIncidents(m, this.deps, trail, [id]);
          // Programme monitoring: the form's resupply request, and the officer's kits used.
          await recordAdministrationKits(m, trail, { agencyId: actor.agency.id, incidentId: id, collarNumber: collar, dosesAdministered: input.dosesAdministered, occurredAt: input.occurredAt, resupplyNeeded: input.resupplyNeeded, kitsRequired: input.kitsRequired ?? null, recordedBySub: actor.sub });
          const [stored] = await loadPlain(m, Incident, `t.id = $1`, [id]);
          if (!stored) throw new Error("the incident just inserted was not found");
          return stored;
        }),
    });
    if (routed) {
      // Newly recorded (not a replay): tell receiving agencies, then check for a spike.
      announce(this.deps, routed);
      await this.checkSpikesAfter(incident);
    }
    return incident;
  }

  /** The incident is committed whatever happens here; a failed check is logged and the periodic job catches up. */
  private async checkSpikesAfter(incident: Incident): Promise<void> {
    try {
      await checkSpikesAfterCommit(this.deps, { areaCode: incident.areaCode, h3r7: incident.h3r7 });
    } catch (e) {
      this.deps.logger?.error({ err: safeErrorForLog(e), incidentId: incident.id }, "spike check failed; the periodic job will retry");
    }
  }

  /**
   * A paramedic finds the incident they attended: the officer's collar number and a time within
   * HANDOVER_LOOKUP_HOURS, in an area their ambulance service serves. The answer names no person
   * and the lookup is audited (the same collar and time an officer gives on scene).
   */
  async toHandOver(actor: Actor, filter: HandoverLookup): Promise<HandoverCandidate[]> {
    const ds = this.deps.dataSource;
    const span = HANDOVER_LOOKUP_HOURS * 3600_000;
    let rows: Array<{ id: string; occurredAt: Date; areaCode: string; agencyId: string }>;
    if (filter.cadReference) {
      rows = await ds.query(
        `SELECT id, "occurredAt", "areaCode", "agencyId" FROM incident WHERE "ambulanceCadReference" = $1 AND "areaCode" = ANY($2::text[]) ORDER BY "occurredAt" DESC, id LIMIT $3`,
        [filter.cadReference, actor.agency.areaCodes, HANDOVER_LOOKUP_MAX],
      );
    } else {
      const { officerCollarNumber: collar, around } = filter;
      if (!collar || !around) throw badInput([{ field: collar ? "filter.around" : "filter.officerCollarNumber", rule: "give cadReference, or officerCollarNumber with around" }]);
      rows = await ds.query(
        `SELECT id, "occurredAt", "areaCode", "agencyId" FROM incident
          WHERE "officerCollarNumber" = $1 AND "occurredAt" BETWEEN $2 AND $3 AND "areaCode" = ANY($4::text[])
          ORDER BY abs(extract(epoch FROM "occurredAt" - $5::timestamptz)), id LIMIT $6`,
        [collar, new Date(around.getTime() - span), new Date(around.getTime() + span), actor.agency.areaCodes, around, HANDOVER_LOOKUP_MAX],
      );
    }
    const agencies = rows.length ? await ds.getRepository(Agency).findBy({ id: In([...new Set(rows.map((r) => r.agencyId))]) }) : [];
    await auditedTransaction(ds, actor, async (_m, trail) => {
      trail.add({ action: "HANDOVER_LOOKUP", entityType: "Incident", entityId: null, detail: { by: filter.cadReference ? "cadReference" : "collarAndTime", found: rows.length } });
    });
    return rows.map((r) => ({ id: r.id, occurredAt: r.occurredAt, areaCode: r.areaCode, recordingAgency: agencies.find((a) => a.id === r.agencyId)! }));
  }

  async get(actor: Actor, id: string): Promise<Incident> {
    if (!isUuid(id)) throw notFound("Incident");
    const qb = this.deps.dataSource.getRepository(Incident).createQueryBuilder("i").where("i.id = :id", { id });
    // Which incidents exist for an agency is the reach policy's (reach.incident); anything else is NOT_FOUND.
    const incident = await scoped(qb, reach.incident, viewerOf(actor), "i").getOne();
    if (!incident) throw notFound("Incident");
    return incident;
  }

  async list(actor: Actor, filter: IncidentFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<IncidentConnection> {
    const size = pageSize(first, this.deps.config.pageSize);
    const cursor = decodeCursor(after);
    const qb = this.deps.dataSource.getRepository(Incident).createQueryBuilder("i").where("TRUE");
    scoped(qb, reach.incident, viewerOf(actor), "i");
    if (filter?.areaCode) qb.andWhere(`i."areaCode" = :area`, { area: filter.areaCode });
    if (filter?.from) qb.andWhere(`i."occurredAt" >= :from`, { from: filter.from });
    if (filter?.to) qb.andWhere(`i."occurredAt" < :to`, { to: filter.to });
    if (filter?.outcome) qb.andWhere(`i.outcome = :outcome`, { outcome: filter.outcome });
    if (cursor) qb.andWhere(`(i."occurredAt", i.id) < (:ct, :cid)`, { ct: cursor.t, cid: cursor.id });
    const rows = await qb.orderBy(`i."occurredAt"`, "DESC").addOrderBy("i.id", "DESC").limit(size + 1).getMany();
    return toConnection(rows, size, (node) => ({ t: node.occurredAt.toISOString(), id: node.id })) as IncidentConnection;
  }
}
