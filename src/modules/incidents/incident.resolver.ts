import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { type Context, loadRequired, requireActor } from "../../core/context.js";
import { Agency } from "../agencies/agency.entity.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { Handover } from "../handovers/handover.entity.js";
import { handoversByIncident } from "../handovers/handover.loaders.js";
import { Person } from "../people/person.entity.js";
import { personById } from "../people/person.loaders.js";
import { Incident } from "./incident.entity.js";
import { IncidentService } from "./incident.service.js";
import { HandoverCandidate, HandoverLookup, IncidentConnection, IncidentFilter, Location, NaloxoneAdministrationInput } from "./incident.types.js";
import { referralsByIncident } from "../referrals/referral.loaders.js";
import { summarise } from "../referrals/referral.summary.js";
import { IncidentReferral } from "../referrals/referral.types.js";

const service = (ctx: Context) => new IncidentService(ctx);

@Resolver(() => Incident)
export class IncidentResolver {
  @Mutation(() => Incident, { description: "Record a police naloxone administration (OFFICER). Retrying with the same idempotencyKey returns the first incident." })
  recordNaloxoneAdministration(@Arg("input", () => NaloxoneAdministrationInput) input: NaloxoneAdministrationInput, @Ctx() ctx: Context): Promise<Incident> {
    return service(ctx).record(requireActor(ctx), input);
  }

  @Query(() => Incident, { nullable: true, description: "One incident your agency recorded, took a handover for, or holds a referral or review of; NOT_FOUND otherwise" })
  incident(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Incident> {
    return service(ctx).get(requireActor(ctx), id);
  }

  @Query(() => IncidentConnection, { description: "Incidents your agency recorded, took a handover for, or holds a referral or review of, newest first" })
  incidents(
    @Ctx() ctx: Context,
    @Arg("filter", () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<IncidentConnection> {
    return service(ctx).list(requireActor(ctx), filter, first, after);
  }

  @Query(() => [HandoverCandidate], { description: "Incidents a paramedic may have attended, found by the officer's collar number and time (PARAMEDIC): when, where, which force; nothing else" })
  incidentsToHandOver(@Arg("filter", () => HandoverLookup) filter: HandoverLookup, @Ctx() ctx: Context): Promise<HandoverCandidate[]> {
    return service(ctx).toHandOver(requireActor(ctx), filter);
  }

  @FieldResolver(() => [IncidentReferral], { description: "Where the person was referred and how far each got (all of them for the recording force; otherwise those your agency sent or received)" })
  async referrals(@Root() incident: Incident, @Ctx() ctx: Context): Promise<IncidentReferral[]> {
    const rows = await referralsByIncident(ctx).load(incident.id);
    const agencies = await agencyById(ctx).loadMany(rows.map((r) => r.toAgencyId));
    return rows.map((r, i) => summarise(r, agencies[i] as Agency, ctx.clock.now()));
  }

  @FieldResolver(() => Person, { description: "The person (identifying fields need a basis)" })
  async person(@Root() incident: Incident, @Ctx() ctx: Context): Promise<Person> {
    return loadRequired(personById(ctx), incident.personId, "incident person");
  }

  @FieldResolver(() => Location, { nullable: true, description: "Precise location, if recorded: identifying" })
  location(@Root() incident: Incident): Location | null {
    return incident.lat == null || incident.lng == null ? null : { lat: incident.lat, lng: incident.lng };
  }

  @FieldResolver(() => Agency, { description: "The police force that recorded it" })
  async recordingAgency(@Root() incident: Incident, @Ctx() ctx: Context): Promise<Agency> {
    return loadRequired(agencyById(ctx), incident.agencyId, "incident agency");
  }

  @FieldResolver(() => [Handover], { description: "Handovers of this incident: all of them for the force that recorded it, its own for an ambulance service, none for anyone else" })
  handovers(@Root() incident: Incident, @Ctx() ctx: Context): Promise<Handover[]> {
    return handoversByIncident(ctx).load(incident.id);
  }
}
