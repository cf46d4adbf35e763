import { Field, ID, Int, ObjectType } from "type-graphql";
import { Agency } from "../agencies/agency.entity.js";
import { Person } from "../people/person.entity.js";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { FirstAid } from "./first-aid.js";
import { Disposition, Outcome, Substance } from "./incident.enums.js";

/**
 * One naloxone administration by police: the standard form. The person, precise location and
 * relations resolve through field resolvers; identifying parts are guarded by the permission map.
 */
@ObjectType({ description: "A police naloxone administration (the standard form), seen by its recording force or the ambulance service that took the handover" })
@Entity({ name: "incident" })
@Unique("UQ_incident_idempotency", ["agencyId", "idempotencyKey"])
@Index("IDX_incident_agency_occurred", ["agencyId", "occurredAt", "id"])
@Index("IDX_incident_area_occurred", ["areaCode", "occurredAt"])
// By person, covering the access facts (id, agency, area): by hand in the BenchIndexes migration.
@Index("IDX_incident_person_cover", { synchronize: false })
// Heat map cells with time, INCLUDE the record key (by hand in the RecordKeys migration): period
// aggregates stay index-only scans in cell order.
@Index("IDX_incident_h3r5_time", { synchronize: false })
@Index("IDX_incident_h3r6_time", { synchronize: false })
@Index("IDX_incident_h3r7_time", { synchronize: false })
@Index("IDX_incident_h3r8_time", { synchronize: false })
@Index("IDX_incident_h3r9_time", { synchronize: false })
// BRIN on occurredAt, by hand in the BenchIndexes migration.
@Index("IDX_incident_occurred_brin", { synchronize: false })
@Index("IDX_incident_ambulance_cad", ["ambulanceCadReference"])
export class Incident {
  /** Random record key for the cell-key method (docs/disclosure.md): set by the database at insert, never loaded, never in the API. */
  @Column({ type: "integer", default: () => "hub_record_key()", select: false, insert: false, update: false })
  recordKey?: number;

  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  /** The recording police force. */
  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Column({ type: "varchar", length: 100 })
  idempotencyKey: string;

  /** SHA-256 of the submitted form, to tell a retry (same) from a reused key (different). */
  @Column({ type: "varchar", length: 64 })
  requestHash: string;

  @Column({ type: "varchar", length: 128 })
  recordedBySub: string;

  @Field({ description: "Date and time of the incident" })
  @Column({ type: "timestamptz" })
  occurredAt: Date;

  @Field({ description: "The area where the officer works (force BCU or division)" })
  @Column({ type: "varchar", length: 40 })
  areaCode: string;

  @Column({ type: "double precision", nullable: true })
  lat: number | null;

  @Column({ type: "double precision", nullable: true })
  lng: number | null;

  // H3 cells of the location at the heat map's resolutions; null without a location.
  @Column({ type: "varchar", length: 16, nullable: true }) h3r5: string | null;
  @Column({ type: "varchar", length: 16, nullable: true }) h3r6: string | null;
  @Column({ type: "varchar", length: 16, nullable: true }) h3r7: string | null;
  @Column({ type: "varchar", length: 16, nullable: true }) h3r8: string | null;
  @Column({ type: "varchar", length: 16, nullable: true }) h3r9: string | null;
  /** When retention erased the precise location (lat, lng and the finest cells); area and coarser cells remain. */
  @Column({ type: "timestamptz", nullable: true }) locationErasedAt: Date | null;

  @Column({ type: "uuid" })
  personId: string;

  @ManyToOne(() => Person, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "personId" })
  person?: Person;

  @Field(() => [Substance], { description: "Substances taken, if known (empty when not known)" })
  @Column({ type: "enum", enum: Substance, enumName: "substance", array: true, default: () => "'{}'" })
  substances: Substance[];

  @Field(() => Int)
  @Column({ type: "integer" })
  dosesAdministered: number;

  @Field(() => FirstAid)
  @Column(() => FirstAid, { prefix: "firstAid" })
  firstAid: FirstAid;

  @Field(() => Outcome)
  @Column({ type: "enum", enum: Outcome, enumName: "outcome" })
  outcome: Outcome;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  ambulanceCalledAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  ambulanceArrivedAt: Date | null;

  @Field(() => Int, { nullable: true, description: "Minutes from the call to arrival; null when either time is unknown" })
  @Column({ type: "integer", nullable: true })
  ambulanceResponseMinutes: number | null;

  @Field()
  @Column({ type: "boolean" })
  seenByParamedics: boolean;

  @Field()
  @Column({ type: "boolean" })
  resupplyNeeded: boolean;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  kitsRequired: number | null;

  @Field(() => Boolean, { nullable: true, description: "Drug paraphernalia on scene (Scotland's form)" })
  @Column({ type: "boolean", nullable: true })
  paraphernaliaPresent: boolean | null;

  @Field(() => Disposition, { nullable: true })
  @Column({ type: "enum", enum: Disposition, enumName: "disposition", nullable: true })
  disposition: Disposition | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 20, nullable: true })
  officerCollarNumber: string | null;

  @Field(() => String, { nullable: true, description: "The ambulance service's CAD reference, if the officer noted it (police and ambulance services only)" })
  @Column({ type: "varchar", length: 40, nullable: true })
  ambulanceCadReference: string | null;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  recordedAt: Date;
}
