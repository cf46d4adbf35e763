import type { DataSource } from "typeorm";
import type { Actor } from "../core/auth/actor.js";
import type { Role } from "../core/auth/roles.js";
import { Agency } from "../modules/agencies/agency.entity.js";

/** A demo user of an agency, so demo writes go through the services and are audited like any other. */
export async function demoActor(ds: DataSource, code: string, role: Role, sub: string, collarNumber: string | null = null): Promise<Actor> {
  const a = await ds.getRepository(Agency).findOneByOrFail({ code });
  return { sub, agency: { id: a.id, code: a.code, kind: a.kind, areaCodes: a.areaCodes }, roles: [role], collarNumber, requestId: null };
}
