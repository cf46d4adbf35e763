import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";

export enum Pathway {
  SEVENTY_TWO_HOUR_REVIEW = "SEVENTY_TWO_HOUR_REVIEW",
  NFO_COORDINATOR = "NFO_COORDINATOR",
  MASH_SAFEGUARDING = "MASH_SAFEGUARDING",
  DIRECT_TREATMENT = "DIRECT_TREATMENT",
}
registerEnumType(Pathway, {
  name: "Pathway",
  description: "Where a referral goes after an overdose: the area's agreed route",
  valuesConfig: {
    SEVENTY_TWO_HOUR_REVIEW: { description: "South Wales model: harm-reduction lead and case co-ordinator review within 72 hours" },
    NFO_COORDINATOR: { description: "Blackpool model: the ambulance service's non-fatal overdose co-ordinator" },
    MASH_SAFEGUARDING: { description: "Durham model: safeguarding form to the multi-agency support hub" },
    DIRECT_TREATMENT: { description: "Straight to the area's drug treatment service, with consent" },
  },
});

@ObjectType({ description: "Which agency receives referrals on one pathway in one area, and how fast it should act" })
@Entity({ name: "route" })
@Unique("UQ_route_area_pathway", ["areaCode", "pathway"])
export class Route {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field()
  @Column({ type: "varchar", length: 40 })
  areaCode: string;

  @Field(() => Pathway)
  @Column({ type: "enum", enum: Pathway, enumName: "pathway" })
  pathway: Pathway;

  @Column({ type: "uuid" })
  targetAgencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "targetAgencyId" })
  targetAgency?: Agency;

  @Field(() => Int, { description: "Hours the receiving agency has to act; a referral's dueAt follows from it" })
  @Column({ type: "integer" })
  slaHours: number;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}
