import { Field, ID, Int, ObjectType } from "type-graphql";
import { Agency } from "../agencies/agency.entity.js";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Gender } from "../incidents/incident.enums.js";

/**
 * One individual, shared by every agency's records of them. Identifying fields resolve only where
 * the consent policy permits; the identity key is never exposed. People recorded without full
 * names and date of birth have no identity key and are never merged.
 */
@ObjectType({ description: "A person at the centre of one or more records. Identifying fields need a basis to read." })
@Entity({ name: "person" })
@Index("UQ_person_identity_key", ["identityKey"], { unique: true, where: `"identityKey" IS NOT NULL` })
export class Person {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  /** HMAC-SHA256 of normalised names and date of birth, keyed with IDENTITY_KEY_SECRET. */
  @Column({ type: "varchar", length: 64, nullable: true })
  identityKey: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  givenName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  familyName: string | null;

  @Field(() => String, { nullable: true, description: "YYYY-MM-DD" })
  @Column({ type: "date", nullable: true })
  dateOfBirth: string | null;

  @Field(() => Int, { nullable: true, description: "Age in years when last recorded (may be an estimate)" })
  @Column({ type: "integer", nullable: true })
  ageYears: number | null;

  @Field(() => Gender, { nullable: true })
  @Column({ type: "enum", enum: Gender, enumName: "gender", nullable: true })
  gender: Gender | null;

  @Column({ type: "uuid" })
  createdByAgencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "createdByAgencyId" })
  createdByAgency?: Agency;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  /** When retention erased the identifying fields and identity key (the id and records remain). */
  @Column({ type: "timestamptz", nullable: true })
  erasedAt: Date | null;
}
