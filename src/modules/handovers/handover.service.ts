import type { Actor } from "../../core/auth/actor.js";
import { auditedTransaction } from "../../core/audit/audit.js";
import { badInput, conflict, notFound, type InputProblem } from "../../core/errors.js";
import { createOnce, insertOnce, requestHash } from "../../core/idempotency.js";
import { Incident } from "../incidents/incident.entity.js";
import type { ServiceDeps } from "../../core/context.js";
import { isUuid } from "../../core/ids.js";
import { announce, routeIncidents, type Routed } from "../referrals/routing.service.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";
import { Handover } from "./handover.entity.js";
import type { HandoverInput } from "./handover.types.js";

export class HandoverService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * A paramedic records taking over care. The ambulance service must serve the incident's area;
   * otherwise the incident is NOT_FOUND, exactly as if it did not exist.
   */
  async record(actor: Actor, input: HandoverInput): Promise<Handover> {
    const { dataSource: ds, clock, config } = this.deps;
    if (!isUuid(input.incidentId)) throw notFound("Incident");
    const qb = ds.getRepository(Incident).createQueryBuilder("i").where("i.id = :id", { id: input.incidentId });
    const incident = await scoped(qb, reach.incidentToHandOver, viewerOf(actor), "i").getOne();
    if (!incident) throw notFound("Incident");

    const hash = requestHash(input as unknown as Record<string, unknown>);
    let routed: Routed | null = null;
    const handover = await createOnce({
      hash,
      find: () => ds.getRepository(Handover).findOneBy({ agencyId: actor.agency.id, idempotencyKey: input.idempotencyKey }),
      onConflict: () => conflict("idempotencyKey: already used for a different handover"),
      validate: () => {
        const problems: InputProblem[] = [];
        const at = input.handedOverAt.getTime();
        if (at > clock.now().getTime() + config.clockSkewSeconds * 1000) problems.push({ field: "handedOverAt", rule: "must not be in the future" });
        if (at < incident.occurredAt.getTime() - 3600_000) problems.push({ field: "handedOverAt", rule: "must not be more than an hour before the incident" });
        if (at > incident.occurredAt.getTime() + 24 * 3600_000) problems.push({ field: "handedOverAt", rule: "must be within 24 hours of the incident" });
        if (problems.length > 0) throw badInput(problems);
      },
      create: () =>
        auditedTransaction(ds, actor, async (m, trail) => {
          const id = await insertOnce(m, Handover, {
            incidentId: incident.id,
            agencyId: actor.agency.id,
            idempotencyKey: input.idempotencyKey,
            requestHash: hash,
            recordedBySub: actor.sub,
            cadReference: input.cadReference ?? null,
            handedOverAt: input.handedOverAt,
            patientCondition: input.patientCondition ?? null,
            circumstances: input.circumstances ?? null,
            accompanyingPeople: input.accompanyingPeople ?? null,
            dosesGivenBeforeArrival: input.dosesGivenBeforeArrival ?? null,
            officerCollarNumber: input.officerCollarNumber ?? incident.officerCollarNumber,
            conveyedToHospital: input.conveyedToHospital ?? null,
            refusedCare: input.refusedCare ?? null,
          });
          trail.add({
            action: "HANDOVER_RECORDED",
            entityType: "Handover",
            entityId: id,
            personId: incident.personId,
            basis: "DIRECT_CARE",
            detail: { incidentId: incident.id },
          });
          routed = await routeIncidents(m, this.deps, trail, [incident.id]);
          return m.getRepository(Handover).findOneByOrFail({ id });
        }),
    });
    if (routed) announce(this.deps, routed);
    return handover;
  }
}
