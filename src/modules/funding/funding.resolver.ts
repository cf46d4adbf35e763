import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { type Context, loadRequired, requireActor } from "../../core/context.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { FundingRecord } from "./funding.entity.js";
import { FundingService } from "./funding.service.js";
import { FundingFilter, FundingInput } from "./funding.types.js";

@Resolver(() => FundingRecord)
export class FundingResolver {
  @Mutation(() => FundingRecord, { description: "Record or update a force's funding line (PROGRAMME_LEAD)" })
  recordFunding(@Arg("input", () => FundingInput, { description: "What to record" }) input: FundingInput, @Ctx() ctx: Context): Promise<FundingRecord> {
    return new FundingService(ctx).record(requireActor(ctx), input);
  }

  @Query(() => [FundingRecord], { description: "Funding records (PROGRAMME_LEAD: every force; FORCE_LEAD: own force)" })
  funding(@Ctx() ctx: Context, @Arg("filter", () => FundingFilter, { nullable: true, description: "What to include" }) filter: FundingFilter | null): Promise<FundingRecord[]> {
    return new FundingService(ctx).list(requireActor(ctx), filter);
  }

  @FieldResolver(() => String, { description: "The force" })
  async forceCode(@Root() f: FundingRecord, @Ctx() ctx: Context): Promise<string> {
    return (await loadRequired(agencyById(ctx), f.agencyId, "funding force")).code;
  }
}
