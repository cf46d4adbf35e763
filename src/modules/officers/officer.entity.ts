import { LocalDateResolver } from "../../core/scalars.js";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";
import { OfficerRole, RolloutPhase, TrainingKind, TrainingMode, TrainingModule, TrainingProvider } from "./officer.enums.js";

/**
 * A force's roster entry for an officer who is (or may be) trained to carry naloxone. Staff data:
 * the collar number is shown only to the officer's own force (a field rule in the permission map).
 */
@ObjectType({ description: "An officer on a force's naloxone roster; collar numbers are seen only by the officer's own force" })
@Entity({ name: "officer" })
@Unique("UQ_officer_collar", ["agencyId", "collarNumber"])
export class Officer {
  @Field(() => ID, { description: "Stable id" })
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Field(() => String, { nullable: true, description: "Collar number (only the officer's own force sees it)" })
  @Column({ type: "varchar", length: 20 })
  collarNumber: string;

  @Field(() => OfficerRole, { description: "The officer's role" })
  @Column({ type: "enum", enum: OfficerRole, enumName: "officer_role" })
  role: OfficerRole;

  @Field({ description: "Area or BCU the officer works in" })
  @Column({ type: "varchar", length: 64 })
  areaCode: string;

  @Field({ description: "Opted in to carry naloxone (carriage is voluntary in England and Wales)" })
  @Column({ type: "boolean" })
  carries: boolean;

  @Field(() => RolloutPhase, { nullable: true, description: "Rollout phase the officer belongs to" })
  @Column({ type: "enum", enum: RolloutPhase, enumName: "rollout_phase", nullable: true })
  rolloutPhase: RolloutPhase | null;

  /** The refresher due date a reminder was last sent for: one reminder per due date, across restarts. */
  @Column({ type: "date", nullable: true })
  refresherNoticeFor: string | null;

  @Field({ description: "When the officer was first registered" })
  @CreateDateColumn({ type: "timestamptz" })
  registeredAt: Date;

  @Field({ description: "When the roster entry last changed" })
  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}

@ObjectType({ description: "One training session of an officer" })
@Entity({ name: "training_record" })
@Unique("UQ_training_idempotency", ["agencyId", "idempotencyKey"])
@Index("IDX_training_officer_date", ["officerId", "trainedOn"])
export class TrainingRecord {
  @Field(() => ID, { description: "Stable id" })
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @Column({ type: "uuid" })
  officerId: string;

  @ManyToOne(() => Officer, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "officerId" })
  officer?: Officer;

  @Column({ type: "varchar", length: 120 })
  idempotencyKey: string;

  @Column({ type: "varchar", length: 64 })
  requestHash: string;

  @Field(() => TrainingKind, { description: "Initial training or a refresher" })
  @Column({ type: "enum", enum: TrainingKind, enumName: "training_kind" })
  kind: TrainingKind;

  @Field(() => LocalDateResolver, { description: "Date of the training" })
  @Column({ type: "date" })
  trainedOn: string;

  @Field(() => TrainingMode, { description: "How it was delivered" })
  @Column({ type: "enum", enum: TrainingMode, enumName: "training_mode" })
  mode: TrainingMode;

  @Field(() => TrainingProvider, { description: "Who delivered it" })
  @Column({ type: "enum", enum: TrainingProvider, enumName: "training_provider" })
  provider: TrainingProvider;

  @Field(() => String, { nullable: true, description: "The provider's name, e.g. a charity" })
  @Column({ type: "varchar", length: 200, nullable: true })
  providerName: string | null;

  @Field(() => [TrainingModule], { description: "Which of the eight recommended modules it covered" })
  @Column({ type: "enum", enum: TrainingModule, enumName: "training_module", array: true, default: () => "'{}'" })
  modules: TrainingModule[];

  @Field(() => Int, { nullable: true, description: "Self-rated confidence before training, 1-10" })
  @Column({ type: "smallint", nullable: true })
  confidenceBefore: number | null;

  @Field(() => Int, { nullable: true, description: "Self-rated confidence after training, 1-10" })
  @Column({ type: "smallint", nullable: true })
  confidenceAfter: number | null;

  @Column({ type: "varchar", length: 128 })
  recordedBySub: string;

  @Field({ description: "When it was recorded" })
  @CreateDateColumn({ type: "timestamptz" })
  recordedAt: Date;
}
