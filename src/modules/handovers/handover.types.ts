import { IsDate, IsInt, IsOptional, Length, Matches, Max, Min } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { COLLAR_NUMBER, IDEMPOTENCY_KEY } from "../incidents/incident.types.js";

@InputType({ description: "What police tell paramedics on taking over care (Norfolk's handover content)" })
export class HandoverInput {
  @Field(() => ID)
  incidentId: string;

  @Field()
  @Matches(IDEMPOTENCY_KEY, { message: "must be 8-100 letters, digits, '.', '_', ':' or '-'" })
  idempotencyKey: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^[A-Za-z0-9/_-]{1,40}$/, { message: "must be 1-40 letters, digits, '/', '_' or '-'" })
  cadReference?: string | null;

  @Field()
  @IsDate()
  handedOverAt: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 1000)
  patientCondition?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2000)
  circumstances?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(50)
  accompanyingPeople?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  dosesGivenBeforeArrival?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(COLLAR_NUMBER, { message: "must be 1-20 letters, digits or '-'" })
  officerCollarNumber?: string | null;

  @Field(() => Boolean, { nullable: true })
  conveyedToHospital?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  refusedCare?: boolean | null;
}
