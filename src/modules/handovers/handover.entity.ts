import { Field, ID, Int, ObjectType } from "type-graphql";
import { Agency } from "../agencies/agency.entity.js";
import { Incident } from "../incidents/incident.entity.js";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";

/** Police-to-paramedic handover (Norfolk's content). Recording it gives the ambulance service direct-care access. */
@ObjectType({ description: "The paramedics' record of taking over care from police" })
@Entity({ name: "handover" })
@Unique("UQ_handover_idempotency", ["agencyId", "idempotencyKey"])
@Index("IDX_handover_incident", ["incidentId"])
@Index("IDX_handover_agency_incident", ["agencyId", "incidentId"])
export class Handover {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => ID)
  @Column({ type: "uuid" })
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incidentId" })
  incident?: Incident;

  /** The ambulance service that took over. */
  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Column({ type: "varchar", length: 100 })
  idempotencyKey: string;

  @Column({ type: "varchar", length: 64 })
  requestHash: string;

  @Column({ type: "varchar", length: 128 })
  recordedBySub: string;

  @Field(() => String, { nullable: true, description: "Computer Aided Dispatch reference" })
  @Column({ type: "varchar", length: 40, nullable: true })
  cadReference: string | null;

  @Field()
  @Column({ type: "timestamptz" })
  handedOverAt: Date;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 1000, nullable: true })
  patientCondition: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 2000, nullable: true })
  circumstances: string | null;

  @Field(() => Int, { nullable: true, description: "People with the individual at the scene (a count: no third-party details)" })
  @Column({ type: "integer", nullable: true })
  accompanyingPeople: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  dosesGivenBeforeArrival: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 20, nullable: true })
  officerCollarNumber: string | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ type: "boolean", nullable: true })
  conveyedToHospital: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ type: "boolean", nullable: true })
  refusedCare: boolean | null;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  recordedAt: Date;
}
