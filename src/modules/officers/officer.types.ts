import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, Matches, MaxLength } from "class-validator";
import { LocalDateResolver } from "../../core/scalars.js";
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { Connection } from "../../core/pagination.js";
import { AREA_CODE } from "../agencies/agency.types.js";
import { COLLAR_NUMBER, IDEMPOTENCY_KEY } from "../incidents/incident.types.js";
import { Officer } from "./officer.entity.js";
import { OfficerRole, RolloutPhase, TrainingKind, TrainingMode, TrainingModule, TrainingProvider } from "./officer.enums.js";

@InputType({ description: "An officer on your force's naloxone roster; registering the same collar number again updates the entry" })
export class OfficerInput {
  @Field({ description: "Collar number" })
  @Matches(COLLAR_NUMBER, { message: "must be 1-20 letters, digits or '-'" })
  collarNumber: string;

  @Field(() => OfficerRole, { description: "Role" })
  @IsIn(Object.values(OfficerRole))
  role: OfficerRole;

  @Field({ description: "Area or BCU; must be one your force serves" })
  @Matches(AREA_CODE, { message: "must be an area code" })
  areaCode: string;

  @Field({ description: "Opted in to carry naloxone" })
  @IsBoolean()
  carries: boolean;

  @Field(() => RolloutPhase, { nullable: true, description: "Rollout phase" })
  @IsOptional()
  @IsIn(Object.values(RolloutPhase))
  rolloutPhase?: RolloutPhase | null;
}

@InputType({ description: "A training session of an officer" })
export class TrainingInput {
  @Field(() => String, { nullable: true, description: "Client-chosen key; without one, the same officer, kind and date is the same record" })
  @IsOptional()
  @Matches(IDEMPOTENCY_KEY, { message: "must be 8-100 letters, digits, '.', '_', ':' or '-'" })
  idempotencyKey?: string | null;

  @Field({ description: "Collar number of a registered officer of your force" })
  @Matches(COLLAR_NUMBER, { message: "must be 1-20 letters, digits or '-'" })
  collarNumber: string;

  @Field(() => TrainingKind, { nullable: true, description: "INITIAL (default) or REFRESHER (must follow an initial training)" })
  @IsOptional()
  @IsIn(Object.values(TrainingKind))
  kind?: TrainingKind | null;

  @Field(() => LocalDateResolver, { description: "Date of the training" })
  trainedOn: string;

  @Field(() => TrainingMode, { description: "How it was delivered" })
  @IsIn(Object.values(TrainingMode))
  mode: TrainingMode;

  @Field(() => TrainingProvider, { description: "Who delivered it" })
  @IsIn(Object.values(TrainingProvider))
  provider: TrainingProvider;

  @Field(() => String, { nullable: true, description: "The provider's name" })
  @IsOptional()
  @MaxLength(200)
  providerName?: string | null;

  @Field(() => [TrainingModule], { description: "Which of the eight recommended modules it covered" })
  @ArrayMaxSize(8)
  @IsIn(Object.values(TrainingModule), { each: true })
  modules: TrainingModule[];

  @Field(() => Int, { nullable: true, description: "Self-rated confidence before, 1-10" })
  @IsOptional()
  @IsInt()
  confidenceBefore?: number | null;

  @Field(() => Int, { nullable: true, description: "Self-rated confidence after, 1-10" })
  @IsOptional()
  @IsInt()
  confidenceAfter?: number | null;
}

@InputType({ description: "Which officers of your force to list" })
export class OfficerFilter {
  @Field(() => Boolean, { nullable: true, description: "Only those who carry (true) or do not (false)" })
  @IsOptional()
  carries?: boolean | null;

  @Field(() => String, { nullable: true, description: "Only this area" })
  @IsOptional()
  @Matches(AREA_CODE, { message: "must be an area code" })
  areaCode?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Only officers whose refresher is overdue (true) or in date (false); never-trained officers count as overdue" })
  @IsOptional()
  refresherOverdue?: boolean | null;
}

@ObjectType({ description: "Officers of your force, by collar number" })
export class OfficerConnection extends Connection(Officer, "Officer") {}

/** What the resolvers need of an officer's training to answer refresherDueOn. */
export interface OfficerTrainingSummary {
  latestTrainedOn: string | null;
}
