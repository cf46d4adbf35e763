import type { EntityManager } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import { auditedTransaction, type AuditEntry } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, conflict, type InputProblem } from "../../core/errors.js";
import { createOnce, insertOnce, requestHash } from "../../core/idempotency.js";
import { decodeCursor, pageSize, toConnection } from "../../core/pagination.js";
import { ownForce, type ForceRef } from "../programme/scope.js";
import { Officer, TrainingRecord } from "./officer.entity.js";
import { TrainingKind } from "./officer.enums.js";
import { checkTraining } from "./officer.policy.js";
import type { OfficerConnection, OfficerFilter, OfficerInput, TrainingInput } from "./officer.types.js";

const today = (d: Date) => d.toISOString().slice(0, 10);

function checkOfficer(force: ForceRef, o: OfficerInput, prefix = ""): InputProblem[] {
  return force.areaCodes.includes(o.areaCode) ? [] : [{ field: `${prefix}areaCode`, rule: "must be an area your force serves" }];
}

export class OfficerService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Registers an officer, or updates the entry when the collar number is already on the roster. */
  async register(actor: Actor, input: OfficerInput): Promise<Officer> {
    const [officer] = await this.registerMany(actor, [input]);
    return officer;
  }

  /** Many officers in one transaction (the demo's roster); the same rules and audit as one at a time. */
  async registerMany(actor: Actor, inputs: OfficerInput[]): Promise<Officer[]> {
    const force = ownForce(actor);
    const problems = inputs.flatMap((o, i) => checkOfficer(force, o, inputs.length > 1 ? `${i}.` : ""));
    if (problems.length) throw badInput(problems);
    return auditedTransaction(this.deps.dataSource, actor, async (m, trail) => {
      const ids: string[] = [];
      for (let i = 0; i < inputs.length; i += 500) {
        const chunk = inputs.slice(i, i + 500);
        const params: unknown[] = [];
        const values = chunk.map((o) => `(${[force.id, o.collarNumber, o.role, o.areaCode, o.carries, o.rolloutPhase ?? null].map((v) => `$${params.push(v)}`).join(", ")})`);
        const rows: Array<{ id: string; inserted: boolean }> = await m.query(
          `INSERT INTO officer ("agencyId", "collarNumber", role, "areaCode", carries, "rolloutPhase") VALUES ${values.join(", ")}
           ON CONFLICT ("agencyId", "collarNumber") DO UPDATE SET role = EXCLUDED.role, "areaCode" = EXCLUDED."areaCode", carries = EXCLUDED.carries,
             "rolloutPhase" = EXCLUDED."rolloutPhase", "updatedAt" = now()
           RETURNING id, (xmax = 0) AS inserted`,
          params,
        );
        ids.push(...rows.map((r) => r.id));
        trail.add(...rows.map((r): AuditEntry => ({ action: r.inserted ? "OFFICER_REGISTERED" : "OFFICER_UPDATED", entityType: "Officer", entityId: r.id })));
      }
      const found = await m.getRepository(Officer).createQueryBuilder("o").where("o.id = ANY(:ids)", { ids }).getMany();
      const byId = new Map(found.map((o) => [o.id, o]));
      return ids.map((id) => byId.get(id)!);
    });
  }

  async recordTraining(actor: Actor, input: TrainingInput): Promise<TrainingRecord> {
    const [record] = await this.recordTrainingMany(actor, [input]);
    return record;
  }

  /**
   * Training records, each created once: a retry with the same key (or, without one, the same
   * officer, kind and date) returns the first record; the same key for other facts is CONFLICT.
   */
  async recordTrainingMany(actor: Actor, inputs: TrainingInput[]): Promise<TrainingRecord[]> {
    const force = ownForce(actor);
    const ds = this.deps.dataSource;
    const out: TrainingRecord[] = [];
    for (const input of inputs) {
      const kind = input.kind ?? TrainingKind.INITIAL;
      const key = input.idempotencyKey ?? `~${input.collarNumber}:${kind}:${input.trainedOn}`;
      const hash = requestHash({ ...input, kind, idempotencyKey: undefined } as unknown as Record<string, unknown>);
      let officerId = "";
      out.push(
        await createOnce({
          hash,
          find: () => ds.getRepository(TrainingRecord).findOneBy({ agencyId: force.id, idempotencyKey: key }),
          onConflict: () => conflict("idempotencyKey: already used for a different training record"),
          validate: async () => {
            officerId = await this.officerId(ds.manager, force.id, input.collarNumber);
            const [first] = await ds.query(`SELECT to_char(min("trainedOn"), 'YYYY-MM-DD') AS d FROM training_record WHERE "officerId" = $1 AND kind = 'INITIAL'`, [officerId]);
            const problems = checkTraining({ ...input, kind }, today(this.deps.clock.now()), first?.d ?? null);
            if (problems.length) throw badInput(problems);
          },
          create: () =>
            auditedTransaction(ds, actor, async (m, trail) => {
              const id = await insertOnce(m, TrainingRecord, {
                agencyId: force.id,
                officerId,
                idempotencyKey: key,
                requestHash: hash,
                kind,
                trainedOn: input.trainedOn,
                mode: input.mode,
                provider: input.provider,
                providerName: input.providerName ?? null,
                modules: input.modules,
                confidenceBefore: input.confidenceBefore ?? null,
                confidenceAfter: input.confidenceAfter ?? null,
                recordedBySub: actor.sub,
              });
              trail.add({ action: "TRAINING_RECORDED", entityType: "TrainingRecord", entityId: id, detail: { kind } });
              return m.getRepository(TrainingRecord).findOneByOrFail({ id });
            }),
        }),
      );
    }
    return out;
  }

  /**
   * Many training records in one transaction (the demo's roster history), through the same rules and
   * audit; records are taken in order, so a refresher may follow an initial training in the same batch.
   */
  async importTraining(actor: Actor, inputs: TrainingInput[]): Promise<number> {
    const force = ownForce(actor);
    const ds = this.deps.dataSource;
    const officers: Array<{ id: string; collarNumber: string }> = await ds.query(`SELECT id, "collarNumber" FROM officer WHERE "agencyId" = $1`, [force.id]);
    const idOf = new Map(officers.map((o) => [o.collarNumber, o.id]));
    const firsts: Array<{ officerId: string; d: string }> = await ds.query(`SELECT "officerId", to_char(min("trainedOn"), 'YYYY-MM-DD') AS d FROM training_record WHERE "agencyId" = $1 AND kind = 'INITIAL' GROUP BY 1`, [force.id]);
    const firstInitial = new Map(firsts.map((f) => [f.officerId, f.d]));
    const now = today(this.deps.clock.now());
    const rows = inputs.map((input, i) => {
      const officerId = idOf.get(input.collarNumber);
      if (!officerId) throw badInput([{ field: `${i}.collarNumber`, rule: "unknown collar number: register the officer first" }]);
      const kind = input.kind ?? TrainingKind.INITIAL;
      const problems = checkTraining({ ...input, kind }, now, firstInitial.get(officerId) ?? null);
      if (problems.length) throw badInput(problems.map((p) => ({ ...p, field: `${i}.${p.field}` })));
      if (kind === TrainingKind.INITIAL && (!firstInitial.has(officerId) || input.trainedOn < firstInitial.get(officerId)!)) firstInitial.set(officerId, input.trainedOn);
      return {
        agencyId: force.id, officerId, idempotencyKey: input.idempotencyKey ?? `~${input.collarNumber}:${kind}:${input.trainedOn}`,
        requestHash: requestHash({ ...input, kind, idempotencyKey: undefined } as unknown as Record<string, unknown>), kind, trainedOn: input.trainedOn,
        mode: input.mode, provider: input.provider, providerName: input.providerName ?? null, modules: input.modules,
        confidenceBefore: input.confidenceBefore ?? null, confidenceAfter: input.confidenceAfter ?? null, recordedBySub: actor.sub,
      };
    });
    return auditedTransaction(ds, actor, async (m, trail) => {
      for (let i = 0; i < rows.length; i += 500) {
        const result = await m.createQueryBuilder().insert().into(TrainingRecord).values(rows.slice(i, i + 500)).returning(["id", "kind"]).execute();
        trail.add(...(result.raw as Array<{ id: string; kind: string }>).map((r): AuditEntry => ({ action: "TRAINING_RECORDED", entityType: "TrainingRecord", entityId: r.id, detail: { kind: r.kind } })));
      }
      return rows.length;
    });
  }

  private async officerId(m: EntityManager, agencyId: string, collar: string): Promise<string> {
    const [row] = await m.query(`SELECT id FROM officer WHERE "agencyId" = $1 AND "collarNumber" = $2`, [agencyId, collar]);
    if (!row) throw badInput([{ field: "collarNumber", rule: "unknown collar number: register the officer first" }]);
    return row.id;
  }

  /** Your force's roster, by collar number; filters on carriage, area and refresher status. */
  async list(actor: Actor, filter: OfficerFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<OfficerConnection> {
    const force = ownForce(actor);
    const size = pageSize(first, this.deps.config.pageSize);
    const cursor = decodeCursor(after);
    const qb = this.deps.dataSource.getRepository(Officer).createQueryBuilder("o").where(`o."agencyId" = :force`, { force: force.id });
    if (filter?.carries != null) qb.andWhere("o.carries = :carries", { carries: filter.carries });
    if (filter?.areaCode) qb.andWhere(`o."areaCode" = :area`, { area: filter.areaCode });
    if (filter?.refresherOverdue != null) {
      const inDate = `EXISTS (SELECT 1 FROM training_record t WHERE t."officerId" = o.id GROUP BY t."officerId"
                       HAVING (max(t."trainedOn") + make_interval(months => :months))::date >= :today::date)`;
      qb.andWhere(filter.refresherOverdue ? `NOT ${inDate}` : inDate, { months: this.deps.config.programme.refresherMonths, today: today(this.deps.clock.now()) });
    }
    // Cursor: registration time and id, as every list here pages.
    // (Truncated to milliseconds, the precision a cursor carries, so no row repeats across pages.)
    const at = `date_trunc('milliseconds', o."registeredAt")`;
    if (cursor) qb.andWhere(`(${at}, o.id) > (:ct, :cid)`, { ct: cursor.t, cid: cursor.id });
    const rows = await qb.orderBy(at, "ASC").addOrderBy("o.id", "ASC").limit(size + 1).getMany();
    return toConnection(rows, size, (o) => ({ t: o.registeredAt.toISOString(), id: o.id })) as OfficerConnection;
  }
}
