import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";
import { Person } from "../people/person.entity.js";

export enum EmergencyBasis {
  VITAL_INTERESTS = "VITAL_INTERESTS",
  SAFEGUARDING = "SAFEGUARDING",
}
registerEnumType(EmergencyBasis, { name: "EmergencyBasis", description: "Lawful basis for break-glass access without consent" });

export enum GrantReviewOutcome {
  APPROPRIATE = "APPROPRIATE",
  INAPPROPRIATE = "INAPPROPRIATE",
}
registerEnumType(GrantReviewOutcome, { name: "GrantReviewOutcome" });

/** Break-glass: time-limited access to one person for one agency, on a recorded lawful basis. */
@ObjectType({ description: "An emergency (break-glass) access grant, reviewed afterwards by an auditor" })
@Entity({ name: "access_grant" })
@Index("IDX_access_grant_person", ["personId", "expiresAt"])
@Index("IDX_access_grant_review", ["reviewedAt", "grantedAt"])
export class AccessGrant {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => ID)
  @Column({ type: "uuid" })
  personId: string;

  @ManyToOne(() => Person, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "personId" })
  person?: Person;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Field({ description: "The user who broke the glass (their id at their agency)" })
  @Column({ type: "varchar", length: 128 })
  grantedToSub: string;

  @Field(() => EmergencyBasis)
  @Column({ type: "enum", enum: EmergencyBasis, enumName: "emergency_basis" })
  basis: EmergencyBasis;

  @Field()
  @Column({ type: "varchar", length: 2000 })
  justification: string;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  grantedAt: Date;

  @Field()
  @Column({ type: "timestamptz" })
  expiresAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  reviewedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 128, nullable: true })
  reviewedBySub: string | null;

  @Field(() => GrantReviewOutcome, { nullable: true })
  @Column({ type: "enum", enum: GrantReviewOutcome, enumName: "grant_review_outcome", nullable: true })
  reviewOutcome: GrantReviewOutcome | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 2000, nullable: true })
  reviewNote: string | null;
}
