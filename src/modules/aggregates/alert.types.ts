import { ArrayMaxSize, IsDate, IsIn, IsOptional, Matches } from "class-validator";
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { AREA_CODE } from "../agencies/agency.types.js";
import { SpikeWindow } from "./alert.entity.js";
import { SpikeSignificance } from "./alert.policy.js";

registerEnumType(SpikeSignificance, {
  name: "SpikeSignificance",
  description: "How improbable the spike is, as a band computed from the published count and expected only",
  valuesConfig: {
    SIGNIFICANT: { description: "Below the alert threshold (ALERT_P_VALUE): every alert, and the only band of an alert whose count is suppressed" },
    HIGHLY_SIGNIFICANT: { description: "Below a tenth of the threshold" },
    EXTREMELY_SIGNIFICANT: { description: "Below a hundredth of the threshold" },
  },
});

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
  @Field(() => Int, { nullable: true, description: "Administrations in the window at the last check, by the small-number rule (null when suppressed)" }) count: number | null;
  @Field({ description: "True when the count is hidden by the small-number rule" }) suppressed: boolean;
  @Field(() => Float, { nullable: true, description: "Expected in the window from the published baseline of the trailing 28 days; null when the count or the baseline is suppressed" })
  expected: number | null;
  @Field(() => SpikeSignificance, { description: "Significance band, from the published figures only" }) significance: SpikeSignificance;
  @Field(() => Float, { description: "The significance band's p-value bound (the alert threshold, a tenth or a hundredth of it); never the exact p-value" }) pValue: number;
  @Field({ description: "When the episode opened, to the hour" }) openedAt: Date;
  @Field(() => Date, { nullable: true, description: "When it closed, to the hour" }) closedAt: Date | null;
  @Field({ description: "Last check, to the hour" }) lastEvaluatedAt: Date;
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
