import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../core/context.js";
import { Agency } from "./agency.entity.js";
import { AgencyService } from "./agency.service.js";
import { CreateAgencyInput } from "./agency.types.js";

@Resolver(() => Agency)
export class AgencyResolver {
  @Query(() => [Agency], { description: "Every agency in the hub (ADMIN)" })
  agencies(@Ctx() ctx: Context): Promise<Agency[]> {
    return new AgencyService(ctx.dataSource).list();
  }

  @Mutation(() => Agency, { description: "Register a new agency (ADMIN)" })
  createAgency(@Arg("input", () => CreateAgencyInput) input: CreateAgencyInput, @Ctx() ctx: Context): Promise<Agency> {
    return new AgencyService(ctx.dataSource).create(ctx.actor, input);
  }
}
