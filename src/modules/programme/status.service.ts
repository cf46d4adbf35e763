import type { Actor } from "../../core/auth/actor.js";
import { auditedTransaction } from "../../core/audit/audit.js";
import { AgencyKind } from "../../core/auth/roles.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, forbidden } from "../../core/errors.js";
import { policeForce } from "./scope.js";
import { ProgrammeStatus } from "./status.entity.js";
import type { ProgrammeStatusInput } from "./programme.types.js";

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export class ProgrammeStatusService {
  constructor(private readonly deps: ServiceDeps) {}

  /** One row per force and date: a retry returns it, a correction of the same date replaces it. */
  async set(actor: Actor, input: ProgrammeStatusInput): Promise<ProgrammeStatus> {
    if (actor.agency.kind !== AgencyKind.HUB_OPERATOR) throw forbidden("Programme status is recorded by the programme lead at the hub");
    if (!isDate(input.asOf)) throw badInput([{ field: "asOf", rule: "must be a real date" }]);
    if (input.asOf > this.deps.clock.now().toISOString().slice(0, 10)) throw badInput([{ field: "asOf", rule: "must not be in the future" }]);
    if (input.adderArea && !input.adder) throw badInput([{ field: "adderArea", rule: "is given only for an ADDER force" }]);
    const force = await policeForce(this.deps.dataSource.manager, input.forceCode);
    return auditedTransaction(this.deps.dataSource, actor, async (m, trail) => {
      const [row] = await m.query(
        `INSERT INTO programme_status ("agencyId", "carriageStatus", adder, "adderArea", "mouWithAmbulance", "referralPathway", "workingGroup", "dataReceived", "asOf", "recordedBySub")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT ("agencyId", "asOf") DO UPDATE SET "carriageStatus" = EXCLUDED."carriageStatus", adder = EXCLUDED.adder, "adderArea" = EXCLUDED."adderArea",
           "mouWithAmbulance" = EXCLUDED."mouWithAmbulance", "referralPathway" = EXCLUDED."referralPathway", "workingGroup" = EXCLUDED."workingGroup",
           "dataReceived" = EXCLUDED."dataReceived", "recordedBySub" = EXCLUDED."recordedBySub"
         RETURNING id, (xmax = 0) AS inserted`,
        [force.id, input.carriageStatus, input.adder, input.adderArea ?? null, input.mouWithAmbulance ?? null, input.referralPathway ?? null, input.workingGroup ?? null, input.dataReceived, input.asOf, actor.sub],
      );
      trail.add({ action: row.inserted ? "PROGRAMME_STATUS_RECORDED" : "PROGRAMME_STATUS_CORRECTED", entityType: "ProgrammeStatus", entityId: row.id, detail: { forceCode: force.code, carriageStatus: input.carriageStatus } });
      return m.getRepository(ProgrammeStatus).findOneByOrFail({ id: row.id });
    });
  }

  /** Each force's current status (latest asOf): every force for the programme lead, its own for a force lead. */
  async current(actor: Actor): Promise<ProgrammeStatus[]> {
    const qb = this.deps.dataSource
      .getRepository(ProgrammeStatus)
      .createQueryBuilder("s")
      .innerJoin("s.agency", "a")
      .where(`s."asOf" = (SELECT max(x."asOf") FROM programme_status x WHERE x."agencyId" = s."agencyId")`);
    if (actor.agency.kind !== AgencyKind.HUB_OPERATOR) qb.andWhere(`s."agencyId" = :own`, { own: actor.agency.id });
    return qb.orderBy("a.code").getMany();
  }
}
