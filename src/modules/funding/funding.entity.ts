import { LocalDateResolver } from "../../core/scalars.js";
import { Field, Float, ID, ObjectType } from "type-graphql";
import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";
import { FundingSource, FundingStrand } from "./funding.enums.js";

/** PostgreSQL numeric arrives as a string; amounts are pounds with pence. */
const money = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * A force's funding for one strand from one source over one period, as last reported: recording the
 * same force, strand, source and start again updates the figures (spend grows over a period).
 */
@ObjectType({ description: "A force's naloxone funding for one strand from one source over one period" })
@Entity({ name: "funding_record" })
@Unique("UQ_funding_record", ["agencyId", "strand", "source", "periodStart"])
export class FundingRecord {
  @Field(() => ID, { description: "Stable id" })
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Field(() => FundingStrand, { description: "What the money is for" })
  @Column({ type: "enum", enum: FundingStrand, enumName: "funding_strand" })
  strand: FundingStrand;

  @Field(() => FundingSource, { description: "Where it comes from" })
  @Column({ type: "enum", enum: FundingSource, enumName: "funding_source" })
  source: FundingSource;

  @Field(() => Float, { description: "Amount available (GBP)" })
  @Column({ type: "numeric", precision: 14, scale: 2, transformer: money })
  available: number;

  @Field(() => Float, { description: "Amount allocated (GBP)" })
  @Column({ type: "numeric", precision: 14, scale: 2, transformer: money })
  allocated: number;

  @Field(() => Float, { description: "Amount spent (GBP)" })
  @Column({ type: "numeric", precision: 14, scale: 2, transformer: money })
  spent: number;

  @Field(() => LocalDateResolver, { description: "First day of the funding period" })
  @Column({ type: "date" })
  periodStart: string;

  @Field(() => LocalDateResolver, { nullable: true, description: "Last day of the funding period; null when open-ended" })
  @Column({ type: "date", nullable: true })
  periodEnd: string | null;

  @Column({ type: "varchar", length: 128 })
  recordedBySub: string;

  @Field({ description: "When the figures were last reported" })
  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}
