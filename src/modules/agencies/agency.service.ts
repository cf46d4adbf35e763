import type { DataSource } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import { AgencyKind } from "../../core/auth/roles.js";
import { writeAudit } from "../../core/audit/audit.js";
import { badInput, conflict } from "../../core/errors.js";
import { Agency } from "./agency.entity.js";
import type { CreateAgencyInput } from "./agency.types.js";

export class AgencyService {
  constructor(private readonly ds: DataSource) {}

  list(): Promise<Agency[]> {
    return this.ds.getRepository(Agency).find({ order: { code: "ASC" } });
  }

  async create(actor: Actor | null, input: CreateAgencyInput): Promise<Agency> {
    if (input.kind === AgencyKind.HUB_OPERATOR) {
      throw badInput([{ field: "kind", rule: "there is exactly one hub operator agency (HUB)" }]);
    }
    const areaCodes = [...new Set(input.areaCodes)];
    return this.ds.transaction(async (m) => {
      const inserted = await m
        .createQueryBuilder()
        .insert()
        .into(Agency)
        .values({
          code: input.code,
          name: input.name.trim(),
          kind: input.kind,
          areaCodes,
          adderArea: input.adderArea ?? null,
          provisionStatus: input.provisionStatus ?? null,
          officersTrained: input.officersTrained ?? null,
        })
        .orIgnore()
        .returning("*")
        .execute();
      const row = inserted.raw[0] as Agency | undefined;
      if (!row) throw conflict(`code: an agency with code ${input.code} already exists`);
      await writeAudit(m, actor, {
        action: "AGENCY_CREATED",
        entityType: "Agency",
        entityId: row.id,
        detail: { code: row.code, kind: row.kind, areaCodes },
      });
      return m.getRepository(Agency).create(row);
    });
  }
}
