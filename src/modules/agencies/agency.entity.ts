import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { AgencyKind } from "../../core/auth/roles.js";

/** A force's naloxone programme status as reported to national monitoring (Table 1 of the evaluation). */
export enum ProvisionStatus {
  ONGOING = "ONGOING",
  PILOTING = "PILOTING",
  AGREED_NOT_IMPLEMENTED = "AGREED_NOT_IMPLEMENTED",
  COMMITTED_TO_PILOT = "COMMITTED_TO_PILOT",
  NONE = "NONE",
}
registerEnumType(ProvisionStatus, { name: "ProvisionStatus" });

@ObjectType({ description: "An organisation that takes part in the hub: a tenant. Holds no personal data." })
@Entity({ name: "agency" })
export class Agency {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field({ description: "Short stable code, e.g. DUR for Durham Constabulary" })
  @Index({ unique: true })
  @Column({ type: "varchar", length: 32 })
  code: string;

  @Field()
  @Column({ type: "varchar", length: 200 })
  name: string;

  @Field(() => AgencyKind)
  @Column({ type: "enum", enum: AgencyKind, enumName: "agency_kind" })
  kind: AgencyKind;

  @Field(() => [String], { description: "Areas this agency serves (a force's BCUs, a service's districts)" })
  @Column({ type: "text", array: true, default: () => "'{}'" })
  areaCodes: string[];

  @Field({ description: "Inactive agencies' tokens are refused" })
  @Column({ type: "boolean", default: true })
  active: boolean;

  @Field(() => String, { nullable: true, description: "Project ADDER area, for forces in an ADDER site" })
  @Column({ type: "varchar", length: 100, nullable: true })
  adderArea: string | null;

  @Field(() => ProvisionStatus, { nullable: true })
  @Column({ type: "enum", enum: ProvisionStatus, enumName: "provision_status", nullable: true })
  provisionStatus: ProvisionStatus | null;

  @Field(() => Int, { nullable: true, description: "Officers trained to carry naloxone; null when no data was received" })
  @Column({ type: "integer", nullable: true })
  officersTrained: number | null;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
