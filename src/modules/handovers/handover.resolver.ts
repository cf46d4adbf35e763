import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { type Context, loadRequired, requireActor } from "../../core/context.js";
import { Agency } from "../agencies/agency.entity.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { Handover } from "./handover.entity.js";
import { HandoverService } from "./handover.service.js";
import { HandoverInput } from "./handover.types.js";

@Resolver(() => Handover)
export class HandoverResolver {
  @Mutation(() => Handover, { description: "Record taking over care from police (PARAMEDIC). Gives your service direct-care access to the person." })
  recordHandover(@Arg("input", () => HandoverInput) input: HandoverInput, @Ctx() ctx: Context): Promise<Handover> {
    return new HandoverService(ctx).record(requireActor(ctx), input);
  }

  @FieldResolver(() => Agency, { description: "The ambulance service that took over" })
  async ambulanceService(@Root() handover: Handover, @Ctx() ctx: Context): Promise<Agency> {
    return loadRequired(agencyById(ctx), handover.agencyId, "handover agency");
  }
}
