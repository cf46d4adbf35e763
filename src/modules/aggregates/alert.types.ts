import { ArrayMaxSize, IsDate, IsIn, IsOptional, Matches } from "class-validator";
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { AREA_CODE } from "../agencies/agency.types.js";
import { SpikeWindow } from "./alert.entity.js";

export enum AlertStatus {
  OPEN = "OPEN",
  CLOSED = "CLOSED",
}
registerEnumType(AlertStatus, { name: "AlertStatus" });

@ObjectType({ description: "A spike episode in an area or one of its resolution-7 H3 cells. Carries no person or incident id; its counts follow the small-number rule." })
export class SpikeAlert {
  @Field(() => ID) id: string;
  @Field() areaCode: string;
  @Field(() => String, { nullable: true, description: "Resolution-7 H3 cell; null for an area-wide alert" }) h3: string | null;
  @Field(() => SpikeWindow) window: SpikeWindow;
  @Field(() => AlertStatus) status: AlertStatus;
  @Field(() => Int, { nullable: true, description: "Administrations in the window at the last check (null when suppressed)" }) count: number | null;
  @Field() suppressed: boolean;
  @Field(() => Float, { nullable: true, description: "Expected in the window from the trailing 28 days, computed from the published baseline; null when the baseline count is suppressed" })
  expected: number | null;
  @Field(() => Float, { description: "Poisson upper-tail p-value, rounded up to a power of ten (an upper bound)" }) pValue: number;
  @Field() openedAt: Date;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;
  @Field() lastEvaluatedAt: Date;
}

@InputType()
export class AlertFilter {
  @Field(() => [String], { nullable: true, description: "Only these areas (within those your agency serves)" })
  @IsOptional()
  @ArrayMaxSize(200)
  @Matches(AREA_CODE, { each: true, message: "each must be an area code" })
  areaCodes?: string[] | null;

  @Field(() => AlertStatus, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(AlertStatus))
  status?: AlertStatus | null;

  @Field(() => SpikeWindow, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(SpikeWindow))
  window?: SpikeWindow | null;

  @Field(() => Date, { nullable: true, description: "Opened at or after" })
  @IsOptional()
  @IsDate()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Opened before" })
  @IsOptional()
  @IsDate()
  to?: Date | null;
}
