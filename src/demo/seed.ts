import type { DataSource } from "typeorm";
import type { Actor } from "../core/auth/actor.js";
import { AgencyKind, Role } from "../core/auth/roles.js";
import type { Clock } from "../core/clock.js";
import type { Config } from "../core/config.js";
import { AgencyService } from "../modules/agencies/agency.service.js";
import { RouteService } from "../modules/routes/route.service.js";
import { DEMO_AGENCIES, DEMO_ROUTES } from "./demo-agencies.js";

export interface SeedDeps {
  config: Config;
  dataSource: DataSource;
  clock: Clock;
}

/** The hub operator acting as the seeding "user", so demo writes are audited like any other. */
async function seedActor(ds: DataSource): Promise<Actor> {
  const [hub] = await ds.query(`SELECT id, code, kind, "areaCodes" FROM agency WHERE code = 'HUB'`);
  return { sub: "demo-seed", agency: { id: hub.id, code: hub.code, kind: AgencyKind.HUB_OPERATOR, areaCodes: hub.areaCodes }, roles: [Role.ADMIN], collarNumber: null, requestId: null };
}

export async function isDemoSeeded(ds: DataSource): Promise<boolean> {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM agency WHERE code <> 'HUB'`);
  return n > 0;
}

/** Loads the demo data through the same services the API uses. Deterministic; refuses to run twice. */
export async function seedDemo(deps: SeedDeps): Promise<{ agencies: number; routes: number }> {
  const ds = deps.dataSource;
  if (await isDemoSeeded(ds)) throw new Error("the database already has agencies besides HUB; demo data not loaded");
  const actor = await seedActor(ds);
  const agencies = new AgencyService(ds);
  for (const a of DEMO_AGENCIES) {
    await agencies.create(actor, {
      code: a.code,
      name: a.name,
      kind: a.kind,
      areaCodes: a.areaCodes,
      adderArea: a.adderArea ?? null,
      provisionStatus: a.provisionStatus ?? null,
      officersTrained: a.officersTrained ?? null,
    });
  }
  const routes = new RouteService(ds);
  for (const r of DEMO_ROUTES) await routes.configure(actor, r);
  return { agencies: DEMO_AGENCIES.length, routes: DEMO_ROUTES.length };
}
