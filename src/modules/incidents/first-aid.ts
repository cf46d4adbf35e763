import { IsBoolean, IsOptional } from "class-validator";
import { Field, InputType, ObjectType } from "type-graphql";
import { Column } from "typeorm";

/** The standard form's eight first-aid items, plus Metrebian's ninth ("checked for response"), optional. */
@ObjectType("FirstAid")
@InputType("FirstAidInput")
export class FirstAid {
  @Field() @IsBoolean() @Column({ type: "boolean" }) triedToWakeVerbally: boolean;
  @Field() @IsBoolean() @Column({ type: "boolean" }) tiltedHeadBack: boolean;
  @Field() @IsBoolean() @Column({ type: "boolean" }) checkedBreathing: boolean;
  @Field() @IsBoolean() @Column({ type: "boolean" }) recoveryPosition: boolean;
  @Field() @IsBoolean() @Column({ type: "boolean" }) chestCompressions: boolean;
  @Field() @IsBoolean() @Column({ type: "boolean" }) rescueBreaths: boolean;
  @Field() @IsBoolean() @Column({ type: "boolean" }) clearedAirways: boolean;
  @Field() @IsBoolean() @Column({ type: "boolean" }) checkedPulse: boolean;

  @Field(() => Boolean, { nullable: true, description: "Optional ninth item from the community-response protocol" })
  @IsOptional()
  @IsBoolean()
  @Column({ type: "boolean", nullable: true })
  checkedForResponse?: boolean | null;
}
