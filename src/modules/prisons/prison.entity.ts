import { LocalDateResolver } from "../../core/scalars.js";
import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";
import { Person } from "../people/person.entity.js";
import { DeclineReason, KitHeldIn, OfferOutcome, PointOfOffer, ReleaseType, TrainerType } from "./prison.enums.js";

/**
 * One prisoner's take-home naloxone journey to release (domain brief §2.11), recorded by the
 * prison's naloxone lead. It names no person and links to no one: THN status is sensitive (people
 * fear police or probation reading a kit as evidence of drug use), so only the recording prison sees
 * a record, and everyone else sees coverage aggregates.
 */
@ObjectType({ description: "A prison release and its take-home naloxone journey; seen only by the prison that recorded it" })
@Entity({ name: "prison_release" })
@Unique("UQ_prison_release_idempotency", ["agencyId", "idempotencyKey"])
@Index("IDX_prison_release_agency_date", ["agencyId", "releaseDate"])
export class PrisonRelease {
  /** Random record key for the cell-key method (docs/disclosure.md): set by the database at insert, never loaded, never in the API. */
  @Column({ type: "integer", default: () => "hub_record_key()", select: false, insert: false, update: false })
  recordKey?: number;

  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  /** The recording prison. */
  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  /**
   * The person, when the prison gave their details: links the release to their other records by
   * identity key. Never exposed on this type; other agencies see only Person.takeHomeNaloxone,
   * under the sensitive-by-default rule.
   */
  @Index("IDX_prison_release_person")
  @Column({ type: "uuid", nullable: true })
  personId: string | null;

  @ManyToOne(() => Person, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "personId" })
  person?: Person;

  @Column({ type: "varchar", length: 100 })
  idempotencyKey: string;

  @Column({ type: "varchar", length: 64 })
  requestHash: string;

  @Column({ type: "varchar", length: 128 })
  recordedBySub: string;

  @Field({ description: "History of opioid use identified (there was no automatic flag: the gap this fills)" })
  @Column({ type: "boolean" })
  opioidUseIdentified: boolean;

  @Field(() => LocalDateResolver, { nullable: true, description: "When the person was identified for training (best practice: 8 weeks before release)" })
  @Column({ type: "date", nullable: true })
  identifiedOn: string | null;

  @Field(() => PointOfOffer, { nullable: true })
  @Column({ type: "enum", enum: PointOfOffer, enumName: "point_of_offer", nullable: true })
  pointOfOffer: PointOfOffer | null;

  @Field(() => OfferOutcome)
  @Column({ type: "enum", enum: OfferOutcome, enumName: "offer_outcome" })
  offerOutcome: OfferOutcome;

  @Field(() => DeclineReason, { nullable: true })
  @Column({ type: "enum", enum: DeclineReason, enumName: "decline_reason", nullable: true })
  declineReason: DeclineReason | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @Column({ type: "date", nullable: true })
  trainedOn: string | null;

  @Field(() => TrainerType, { nullable: true })
  @Column({ type: "enum", enum: TrainerType, enumName: "trainer_type", nullable: true })
  trainerType: TrainerType | null;

  @Field()
  @Column({ type: "boolean" })
  kitIssued: boolean;

  @Field(() => KitHeldIn, { nullable: true })
  @Column({ type: "enum", enum: KitHeldIn, enumName: "kit_held_in", nullable: true })
  kitHeldIn: KitHeldIn | null;

  @Field(() => LocalDateResolver)
  @Column({ type: "date" })
  releaseDate: string;

  @Field(() => ReleaseType)
  @Column({ type: "enum", enum: ReleaseType, enumName: "release_type" })
  releaseType: ReleaseType;

  @Field({ description: "The kit was handed over at the gate" })
  @Column({ type: "boolean" })
  releasedWithKit: boolean;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  recordedAt: Date;
}
