import { IsDate, IsIn, IsInt, IsOptional, Matches, MaxLength, ValidateNested } from "class-validator";
import { LocalDateResolver } from "../../core/scalars.js";
import { Field, Int, InputType, ObjectType } from "type-graphql";
import { AGENCY_CODE } from "../agencies/agency.types.js";
import { IDEMPOTENCY_KEY } from "../incidents/incident.types.js";
import { KitDiscrepancyKind, StockLocationKind, StockMovementKind } from "./kit.enums.js";

export const LOCATION_REFERENCE = /^[A-Za-z0-9 ._/-]{1,64}$/;
export const BATCH = /^[A-Za-z0-9._/-]{1,64}$/;

@InputType({ description: "Where kits are held: an officer (by collar number), a vehicle, a station or a store" })
export class StockLocationInput {
  @Field(() => StockLocationKind, { description: "Kind of place" })
  @IsIn(Object.values(StockLocationKind))
  kind: StockLocationKind;

  @Field({ description: "Collar number (OFFICER), call sign or fleet number (VEHICLE), station name or code (STATION), store name (STORE, usually MAIN)" })
  @Matches(LOCATION_REFERENCE, { message: "must be 1-64 letters, digits, spaces or . _ / -" })
  reference: string;
}

@InputType({ description: "A movement of naloxone kits" })
export class StockMovementInput {
  @Field({ description: "Client-chosen key: a retry with the same key returns the first movement" })
  @Matches(IDEMPOTENCY_KEY, { message: "must be 8-100 letters, digits, '.', '_', ':' or '-'" })
  idempotencyKey: string;

  @Field(() => StockMovementKind, { description: "What happened" })
  @IsIn(Object.values(StockMovementKind))
  kind: StockMovementKind;

  @Field(() => Int, { description: "Number of kits (above 0)" })
  @IsInt()
  kits: number;

  @Field(() => String, { nullable: true, description: "Batch number: required for PROCURED; otherwise kits are drawn first-expiry-first-out unless a batch is named" })
  @IsOptional()
  @Matches(BATCH, { message: "must be 1-64 letters, digits or . _ / -" })
  batch?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "Expiry date of the batch: required for PROCURED, after the procurement date" })
  expiresOn?: string | null;

  @Field(() => StockLocationInput, { description: "PROCURED: where the kits arrive; ISSUED: who or what receives them; USED, EXPIRED, LOST, RETURNED: where they were" })
  @ValidateNested()
  location: StockLocationInput;

  @Field(() => StockLocationInput, { nullable: true, description: "ISSUED only: where the kits come from (default the store MAIN)" })
  @IsOptional()
  @ValidateNested()
  from?: StockLocationInput | null;

  @Field(() => StockLocationInput, { nullable: true, description: "RETURNED only: where the kits go back to (default the store MAIN)" })
  @IsOptional()
  @ValidateNested()
  to?: StockLocationInput | null;

  @Field({ description: "When it happened" })
  @IsDate()
  at: Date;
}

@InputType({ description: "A physical count of the kits at one location" })
export class StockCountInput {
  @Field({ description: "Client-chosen key: a retry with the same key returns the first count" })
  @Matches(IDEMPOTENCY_KEY, { message: "must be 8-100 letters, digits, '.', '_', ':' or '-'" })
  idempotencyKey: string;

  @Field(() => StockLocationInput, { description: "Where the count was taken" })
  @ValidateNested()
  location: StockLocationInput;

  @Field(() => Int, { description: "Kits found (0 or more)" })
  @IsInt()
  kits: number;

  @Field({ description: "When the count was taken" })
  @IsDate()
  at: Date;
}

@InputType({ description: "Pause or resume a force's kit distribution" })
export class DistributionPauseInput {
  @Field({ description: "True to pause distribution, false to resume it" })
  paused: boolean;

  @Field(() => String, { nullable: true, description: "Why (required when pausing), e.g. supply monitoring under review" })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@InputType({ description: "Which force's stock to show" })
export class StockFilter {
  @Field(() => String, { nullable: true, description: "The force (a force lead sees only its own; a programme lead must name one)" })
  @IsOptional()
  @Matches(AGENCY_CODE, { message: "must be an agency code" })
  forceCode?: string | null;

  @Field(() => Int, { nullable: true, description: "Kits expiring within this many days (default KIT_EXPIRY_NOTICE_DAYS)" })
  @IsOptional()
  @IsInt()
  days?: number | null;
}

@ObjectType({ description: "A place holding kits. Officers' collar numbers are seen only by their own force." })
export class StockLocation {
  /** The force holding the location: the collar-number rule reads it. */
  agencyId: string;
  @Field(() => StockLocationKind, { description: "Kind of place" }) kind: StockLocationKind;
  @Field(() => String, { nullable: true, description: "Its reference (for OFFICER, the collar number: own force only)" }) reference: string;
}

@ObjectType({ description: "Kits on hand at one location" })
export class StockOnHand {
  @Field(() => StockLocation, { description: "Where" }) location: StockLocation;
  @Field(() => Int, { description: "Kits on hand" }) kits: number;
  @Field(() => Int, { description: "Of which already past their expiry date" }) expired: number;
}

@ObjectType({ description: "Kits of one batch that expire soon (or have expired) and are still in circulation" })
export class ExpiringBatch {
  @Field({ description: "Batch number" }) batch: string;
  @Field(() => LocalDateResolver, { description: "Expiry date" }) expiresOn: string;
  @Field(() => Int, { description: "Kits of the batch still on hand anywhere" }) kits: number;
  @Field(() => Int, { description: "Number of locations holding them" }) locations: number;
}

@ObjectType({ description: "Resupply requested on administration forms and not yet met" })
export class ResupplyOutstanding {
  @Field(() => Int, { description: "Open requests" }) requests: number;
  @Field(() => Int, { description: "Kits they ask for" }) kits: number;
}

@ObjectType({ description: "Whether a force's kit distribution is paused" })
export class DistributionState {
  @Field({ description: "Distribution paused" }) paused: boolean;
  @Field(() => String, { nullable: true, description: "Why" }) reason: string | null;
  @Field(() => Date, { nullable: true, description: "Since when (null if never set)" }) since: Date | null;
}

@ObjectType({ description: "A force's kit stock" })
export class StockSummary {
  @Field({ description: "The force" }) forceCode: string;
  @Field(() => Int, { description: "Kits on hand across all locations" }) totalOnHand: number;
  @Field(() => [StockOnHand], { description: "On hand by location" }) onHand: StockOnHand[];
  @Field(() => Int, { description: "The expiry window used, in days" }) days: number;
  @Field(() => Int, { description: "Kits on hand expiring within the window (including any already expired)" }) expiringKits: number;
  @Field(() => [ExpiringBatch], { description: "Those kits by batch" }) expiring: ExpiringBatch[];
  @Field(() => ResupplyOutstanding, { description: "Resupply outstanding" }) resupplyOutstanding: ResupplyOutstanding;
  @Field(() => DistributionState, { description: "Distribution paused or not" }) distribution: DistributionState;
}

@ObjectType({ description: "Kit flows at one holder (officer, vehicle or station) and what was found there" })
export class KitHolderReconciliation {
  @Field(() => StockLocation, { description: "The holder" }) location: StockLocation;
  @Field(() => Int, { description: "Kits issued to it (net of any passed on)" }) issued: number;
  @Field(() => Int, { description: "Kits used" }) used: number;
  @Field(() => Int, { description: "Kits expired" }) expired: number;
  @Field(() => Int, { description: "Kits lost" }) lost: number;
  @Field(() => Int, { description: "Kits returned" }) returned: number;
  @Field(() => Int, { description: "issued - used - expired - lost - returned" }) expectedOnHand: number;
  @Field(() => Int, { nullable: true, description: "Kits found at the latest count, if any" }) countedKits: number | null;
  @Field(() => Date, { nullable: true, description: "When that count was taken" }) countedAt: Date | null;
}

@ObjectType({ description: "One way the kits do not reconcile" })
export class KitDiscrepancy {
  @Field(() => KitDiscrepancyKind, { description: "Kind of discrepancy" }) kind: KitDiscrepancyKind;
  @Field(() => StockLocation, { description: "Where" }) location: StockLocation;
  @Field(() => Int, { description: "Kits the records expect" }) expected: number;
  @Field(() => Int, { description: "Kits found (a count) or, for USED_NOT_ISSUED, minus the kits used without an issue" }) found: number;
  @Field(() => Int, { description: "found - expected" }) difference: number;
}

@ObjectType({ description: "Issued versus used and on hand: each holder's flows and every discrepancy" })
export class KitReconciliation {
  @Field({ description: "The force" }) forceCode: string;
  @Field(() => Int, { description: "Kits procured" }) procured: number;
  @Field(() => Int, { description: "Kits issued from stores to holders" }) issued: number;
  @Field(() => Int, { description: "Kits used" }) used: number;
  @Field(() => Int, { description: "Kits expired" }) expired: number;
  @Field(() => Int, { description: "Kits lost" }) lost: number;
  @Field(() => Int, { description: "Kits returned to stores" }) returned: number;
  @Field(() => Int, { description: "Kits on hand in stores" }) storeOnHand: number;
  @Field(() => Int, { description: "Kits on hand with holders" }) holdersOnHand: number;
  @Field(() => [KitHolderReconciliation], { description: "Each holder" }) holders: KitHolderReconciliation[];
  @Field(() => [KitDiscrepancy], { description: "Every discrepancy" }) discrepancies: KitDiscrepancy[];
  @Field({ description: "True when there is no discrepancy" }) reconciled: boolean;
}
