import { LocalDateResolver } from "../../core/scalars.js";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";
import { Incident } from "../incidents/incident.entity.js";
import { ResupplyStatus, StockLocationKind, StockMovementKind } from "./kit.enums.js";

/** A batch of kits a force procured; its expiry date is fixed by the first procurement. */
@Entity({ name: "kit_batch" })
@Unique("UQ_kit_batch", ["agencyId", "batch"])
export class KitBatch {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Column({ type: "varchar", length: 64 })
  batch: string;

  @Column({ type: "date" })
  expiresOn: string;

  /** Set when the expiry reminder went out: one reminder per batch, across restarts and instances. */
  @Column({ type: "timestamptz", nullable: true })
  expiryNoticeSentAt: Date | null;
}

/**
 * One stock movement as the force recorded it. The balance at each location and batch is kept in
 * stock_ledger (signed lines), so "on hand" is a sum and a movement can be refused when it would take
 * a location below zero.
 */
@ObjectType({ description: "A movement of naloxone kits" })
@Entity({ name: "stock_movement" })
@Check("CHK_stock_movement_kits", `"kits" > 0`)
@Unique("UQ_stock_movement_idempotency", ["agencyId", "idempotencyKey"])
@Index("IDX_stock_movement_agency_at", ["agencyId", "at"])
export class StockMovement {
  @Field(() => ID, { description: "Stable id" })
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Column({ type: "varchar", length: 120 })
  idempotencyKey: string;

  @Column({ type: "varchar", length: 64 })
  requestHash: string;

  @Field(() => StockMovementKind, { description: "What happened" })
  @Column({ type: "enum", enum: StockMovementKind, enumName: "stock_movement_kind" })
  kind: StockMovementKind;

  @Field(() => Int, { description: "Number of kits" })
  @Column({ type: "integer" })
  kits: number;

  @Field(() => String, { nullable: true, description: "Batch, as given (PROCURED) or as drawn first-expiry-first-out when one batch covered it" })
  @Column({ type: "varchar", length: 64, nullable: true })
  batch: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "Expiry date of the batch (PROCURED)" })
  @Column({ type: "date", nullable: true })
  expiresOn: string | null;

  @Column({ type: "enum", enum: StockLocationKind, enumName: "stock_location_kind" })
  locationKind: StockLocationKind;

  @Column({ type: "varchar", length: 64 })
  locationRef: string;

  /** ISSUED: where the kits came from; RETURNED: where they went back to. */
  @Column({ type: "enum", enum: StockLocationKind, enumName: "stock_location_kind", nullable: true })
  counterpartKind: StockLocationKind | null;

  @Column({ type: "varchar", length: 64, nullable: true })
  counterpartRef: string | null;

  @Field({ description: "When it happened" })
  @Column({ type: "timestamptz" })
  at: Date;

  /** USED movements made by matching an administration: the incident, once. Never exposed. */
  @Index("UQ_stock_movement_incident", { unique: true, where: `"incidentId" IS NOT NULL` })
  @Column({ type: "uuid", nullable: true })
  incidentId: string | null;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incidentId" })
  incident?: Incident;

  @Column({ type: "varchar", length: 128 })
  recordedBySub: string;

  @Field({ description: "When it was recorded" })
  @CreateDateColumn({ type: "timestamptz" })
  recordedAt: Date;
}

/** Signed lines of the stock ledger: +kits arriving at a location and batch, -kits leaving it. */
@Entity({ name: "stock_ledger" })
@Index("IDX_stock_ledger_position", ["agencyId", "locationKind", "locationRef", "batchId"])
export class StockLedgerLine {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @Index("IDX_stock_ledger_movement")
  @Column({ type: "uuid" })
  movementId: string;

  @ManyToOne(() => StockMovement, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "movementId" })
  movement?: StockMovement;

  @Column({ type: "enum", enum: StockLocationKind, enumName: "stock_location_kind" })
  locationKind: StockLocationKind;

  @Column({ type: "varchar", length: 64 })
  locationRef: string;

  @Column({ type: "uuid" })
  batchId: string;

  @ManyToOne(() => KitBatch, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "batchId" })
  kitBatch?: KitBatch;

  @Column({ type: "integer" })
  delta: number;

  @Column({ type: "timestamptz" })
  at: Date;
}

/** A physical count of the kits at a location: what reconciliation compares the ledger with. */
@ObjectType({ description: "A physical count of the kits held at one location" })
@Entity({ name: "stock_count" })
@Check("CHK_stock_count_kits", `"kits" >= 0`)
@Unique("UQ_stock_count_idempotency", ["agencyId", "idempotencyKey"])
export class StockCount {
  @Field(() => ID, { description: "Stable id" })
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Column({ type: "varchar", length: 120 })
  idempotencyKey: string;

  @Column({ type: "varchar", length: 64 })
  requestHash: string;

  @Column({ type: "enum", enum: StockLocationKind, enumName: "stock_location_kind" })
  locationKind: StockLocationKind;

  @Column({ type: "varchar", length: 64 })
  locationRef: string;

  @Field(() => Int, { description: "Kits found" })
  @Column({ type: "integer" })
  kits: number;

  @Field({ description: "When the count was taken" })
  @Column({ type: "timestamptz" })
  at: Date;

  @Column({ type: "varchar", length: 128 })
  recordedBySub: string;

  @CreateDateColumn({ type: "timestamptz" })
  recordedAt: Date;
}

/** A resupply request from an administration form: open until an issue of kits to the officer meets it. */
@Entity({ name: "resupply_request" })
@Index("IDX_resupply_open", ["agencyId", "status"])
export class ResupplyRequest {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @Index("UQ_resupply_incident", { unique: true })
  @Column({ type: "uuid" })
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incidentId" })
  incident?: Incident;

  @Column({ type: "varchar", length: 20, nullable: true })
  collarNumber: string | null;

  @Column({ type: "integer" })
  kitsRequested: number;

  @Column({ type: "enum", enum: ResupplyStatus, enumName: "resupply_status", default: ResupplyStatus.OPEN })
  status: ResupplyStatus;

  @Column({ type: "timestamptz" })
  openedAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  closedAt: Date | null;

  @Column({ type: "uuid", nullable: true })
  closedByMovementId: string | null;

  @ManyToOne(() => StockMovement, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "closedByMovementId" })
  closedByMovement?: StockMovement;
}

/** Each time a force pauses or resumes kit distribution, with the reason. The latest row is current. */
@Entity({ name: "distribution_status" })
@Index("IDX_distribution_status_agency_at", ["agencyId", "at"])
export class DistributionStatus {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Column({ type: "boolean" })
  paused: boolean;

  @Column({ type: "varchar", length: 500, nullable: true })
  reason: string | null;

  @Column({ type: "timestamptz" })
  at: Date;

  @Column({ type: "varchar", length: 128 })
  setBySub: string;
}
