import { LocalDateResolver } from "../../core/scalars.js";
import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";
import { CarriageStatus } from "./programme.enums.js";

/**
 * A force's programme status as national monitoring recorded it on a date. History is kept: each
 * asOf date is one row (recording the same date again corrects it); the latest asOf is current.
 */
@ObjectType({ description: "A force's naloxone programme status as of a date (national monitoring)" })
@Entity({ name: "programme_status" })
@Unique("UQ_programme_status_asof", ["agencyId", "asOf"])
export class ProgrammeStatus {
  @Field(() => ID, { description: "Stable id" })
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Field(() => CarriageStatus, { description: "Carriage status" })
  @Column({ type: "enum", enum: CarriageStatus, enumName: "carriage_status" })
  carriageStatus: CarriageStatus;

  @Field({ description: "Part of Home Office Project ADDER" })
  @Column({ type: "boolean" })
  adder: boolean;

  @Field(() => String, { nullable: true, description: "The ADDER area, e.g. Blackpool" })
  @Column({ type: "varchar", length: 100, nullable: true })
  adderArea: string | null;

  @Field(() => Boolean, { nullable: true, description: "MOU with the ambulance service on not downgrading calls; null when not known" })
  @Column({ type: "boolean", nullable: true })
  mouWithAmbulance: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "A referral pathway is in place; null when not known" })
  @Column({ type: "boolean", nullable: true })
  referralPathway: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Member of a regional naloxone working group; null when not known" })
  @Column({ type: "boolean", nullable: true })
  workingGroup: boolean | null;

  @Field({ description: "The force's data was received by national monitoring" })
  @Column({ type: "boolean" })
  dataReceived: boolean;

  @Field(() => LocalDateResolver, { description: "The date this status describes" })
  @Column({ type: "date" })
  asOf: string;

  @Column({ type: "varchar", length: 128 })
  recordedBySub: string;

  @Field({ description: "When it was recorded" })
  @CreateDateColumn({ type: "timestamptz" })
  recordedAt: Date;
}
