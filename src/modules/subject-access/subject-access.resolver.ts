import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { type Context, requireActor } from "../../core/context.js";
import { Person } from "../people/person.entity.js";
import { SubjectAccessService } from "./subject-access.service.js";
import { IdentityInput, SubjectAccessReport } from "./subject-access.types.js";

@Resolver()
export class SubjectAccessResolver {
  @Query(() => Person, {
    nullable: true,
    description: "The person with exactly this identity (by identity key; a near miss finds nothing). Audited (AUDITOR)",
  })
  findPerson(@Arg("identity", () => IdentityInput, { description: "Names and date of birth as the person gives them" }) identity: IdentityInput, @Ctx() ctx: Context): Promise<Person | null> {
    return new SubjectAccessService(ctx).findPerson(requireActor(ctx), identity);
  }

  @Query(() => SubjectAccessReport, { description: "What the hub holds about a person and who read or received it. Audited (AUDITOR)" })
  subjectAccessReport(@Arg("personId", () => ID, { description: "The person's id (from findPerson)" }) personId: string, @Ctx() ctx: Context): Promise<SubjectAccessReport> {
    const format = ctx.requestId.startsWith("export-") ? "csv" : "json";
    return new SubjectAccessService(ctx).report(requireActor(ctx), personId, format);
  }
}
