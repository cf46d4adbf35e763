import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { type Context, loadRequired, requireActor } from "../../core/context.js";
import { badInput, notFound } from "../../core/errors.js";
import { Agency } from "../agencies/agency.entity.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { isUuid } from "../../core/ids.js";
import { consentStatus } from "./access.policy.js";
import { explainFor } from "./access.service.js";
import { Consent, ConsentStatus } from "./consent.entity.js";
import { ConsentService, ROUTING } from "./consent.service.js";
import { ConsentRouting } from "../referrals/referral.types.js";
import { AccessExplanation, ConsentInput } from "./consent.types.js";
import { AccessGrant, EmergencyBasis, GrantReviewOutcome } from "./grant.entity.js";

const service = (ctx: Context) => new ConsentService(ctx);

@Resolver(() => Consent)
export class ConsentResolver {
  @Mutation(() => Consent, { description: "Record a person's consent decision (an agency with a basis to see them)" })
  recordConsent(@Arg("personId", () => ID) personId: string, @Arg("input", () => ConsentInput) input: ConsentInput, @Ctx() ctx: Context): Promise<Consent> {
    return service(ctx).record(requireActor(ctx), personId, input);
  }

  @Mutation(() => Consent, { description: "Withdraw a consent: effective on the very next request" })
  withdrawConsent(@Arg("consentId", () => ID) consentId: string, @Arg("reason", () => String, { nullable: true }) reason: string | null, @Ctx() ctx: Context): Promise<Consent> {
    if (reason && reason.length > 500) throw badInput([{ field: "reason", rule: "must be at most 500 characters" }]);
    return service(ctx).withdraw(requireActor(ctx), consentId, reason || null);
  }

  @FieldResolver(() => ConsentRouting, { nullable: true, description: "Only on recordConsent's answer: the referrals this consent created, or why none was" })
  routed(@Root() consent: Consent): ConsentRouting | null {
    return ROUTING.get(consent) ?? null;
  }

  @FieldResolver(() => ConsentStatus)
  status(@Root() consent: Consent, @Ctx() ctx: Context): ConsentStatus {
    return consentStatus(consent, ctx.clock.now());
  }

  @FieldResolver(() => Agency)
  async recordedByAgency(@Root() consent: Consent, @Ctx() ctx: Context): Promise<Agency> {
    return loadRequired(agencyById(ctx), consent.recordedByAgencyId, "consent agency");
  }
}

@Resolver(() => AccessGrant)
export class AccessGrantResolver {
  @Mutation(() => AccessGrant, { description: "Break-glass access to one person without consent: time-limited, audited, reviewed" })
  requestEmergencyAccess(
    @Arg("personId", () => ID) personId: string,
    @Arg("basis", () => EmergencyBasis) basis: EmergencyBasis,
    @Arg("justification") justification: string,
    @Ctx() ctx: Context,
  ): Promise<AccessGrant> {
    return service(ctx).requestEmergencyAccess(requireActor(ctx), { personId, basis, justification });
  }

  @Query(() => [AccessGrant], { description: "Emergency grants for review (AUDITOR), newest first" })
  emergencyGrants(@Arg("reviewed", () => Boolean, { nullable: true }) reviewed: boolean | null, @Ctx() ctx: Context): Promise<AccessGrant[]> {
    return service(ctx).listGrants(requireActor(ctx), reviewed);
  }

  @Mutation(() => AccessGrant, { description: "Record the review of an emergency grant (AUDITOR)" })
  reviewEmergencyGrant(
    @Arg("id", () => ID) id: string,
    @Arg("outcome", () => GrantReviewOutcome) outcome: GrantReviewOutcome,
    @Arg("note", () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: Context,
  ): Promise<AccessGrant> {
    if (note && note.length > 2000) throw badInput([{ field: "note", rule: "must be at most 2000 characters" }]);
    return service(ctx).reviewGrant(requireActor(ctx), id, { outcome, note: note || null });
  }

  @FieldResolver(() => Agency)
  async agency(@Root() grant: AccessGrant, @Ctx() ctx: Context): Promise<Agency> {
    return loadRequired(agencyById(ctx), grant.agencyId, "grant agency");
  }

  @FieldResolver(() => Boolean, { description: "Still in force now" })
  active(@Root() grant: AccessGrant, @Ctx() ctx: Context): boolean {
    return grant.expiresAt.getTime() > ctx.clock.now().getTime();
  }
}

@Resolver()
export class ExplainAccessResolver {
  @Query(() => [AccessExplanation], {
    description:
      "Which agencies can see this person now, on what basis, until when. An AUDITOR sees every agency; any other agency with standing sees its own basis and the agencies it has itself shared the person with (a consent it recorded, a handover of its own incident)",
  })
  async explainAccess(@Arg("personId", () => ID) personId: string, @Ctx() ctx: Context): Promise<AccessExplanation[]> {
    const actor = requireActor(ctx);
    if (!isUuid(personId)) throw notFound("Person");
    const rows = await explainFor(ctx, actor, personId);
    if (!rows) throw notFound("Person");
    const agencies = await agencyById(ctx).loadMany(rows.map((r) => r.agencyId));
    return rows.map((r, i) => ({
      agency: agencies[i] as Agency,
      basis: r.basis,
      purpose: r.purpose,
      consentId: r.basis === "CONSENT" ? r.reference : null,
      grantId: r.basis === "EMERGENCY_GRANT" ? r.reference : null,
      until: r.until,
    }));
  }
}
