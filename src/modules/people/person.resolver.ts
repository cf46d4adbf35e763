import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { type Context, requireActor } from "../../core/context.js";
import { notFound } from "../../core/errors.js";
import { standing } from "../consent/access.service.js";
import { Consent } from "../consent/consent.entity.js";
import { ConsentService } from "../consent/consent.service.js";
import { isUuid } from "../../core/ids.js";
import { Person } from "./person.entity.js";
import { personById } from "./person.loaders.js";

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, {
    nullable: true,
    description: "A person your agency has standing with (a basis, or a consent or grant naming it); NOT_FOUND otherwise",
  })
  async person(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Person> {
    if (!isUuid(id) || !(await standing(ctx, id))) throw notFound("Person");
    const person = await personById(ctx).load(id);
    if (!person) throw notFound("Person");
    return person;
  }

  @FieldResolver(() => [Consent], {
    nullable: true,
    description: "The person's consent decisions that your agency recorded or that name it, newest first (needs a basis); consents naming only other agencies are not shown",
  })
  consents(@Root() person: Person, @Ctx() ctx: Context): Promise<Consent[]> {
    return new ConsentService(ctx).consentsOf(requireActor(ctx), person.id);
  }
}
