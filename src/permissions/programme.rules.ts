import { rule } from "graphql-shield";
import type { Context } from "../core/context.js";
import { forbidden, unauthenticated } from "../core/errors.js";

// Programme monitoring's field rules. Collar numbers are staff data: only the officer's own force
// sees them, whoever else may read the record around them (the programme lead, national monitoring).

const collarHidden = () => forbidden("collarNumber: officers' collar numbers are seen only by their own force");

/** An officer's collar number (Officer, ProgrammeReminder): the officer's own force only. */
export const ownForceCollar = rule("ownForceCollar", { cache: "strict" })((parent: { agencyId?: string } | undefined, _a, ctx: Context) => {
  if (!ctx.actor) return unauthenticated();
  return parent?.agencyId !== undefined && parent.agencyId === ctx.actor.agency.id ? true : collarHidden();
});

/** A stock location's reference: a collar number when the holder is an officer, else not staff data. */
export const stockLocationReference = rule("stockLocationReference", { cache: "strict" })((parent: { agencyId?: string; kind?: string } | undefined, _a, ctx: Context) => {
  if (!ctx.actor) return unauthenticated();
  if (parent?.kind !== "OFFICER") return true;
  return parent.agencyId !== undefined && parent.agencyId === ctx.actor.agency.id ? true : collarHidden();
});
