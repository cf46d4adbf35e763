// The explicit entity list (no globs into dist/).
import { Agency } from "./modules/agencies/agency.entity.js";
import { SpikeAlertRecord } from "./modules/aggregates/alert.entity.js";
import { AuditEvent } from "./modules/audit/audit-event.entity.js";
import { Consent } from "./modules/consent/consent.entity.js";
import { AccessGrant } from "./modules/consent/grant.entity.js";
import { Handover } from "./modules/handovers/handover.entity.js";
import { Incident } from "./modules/incidents/incident.entity.js";
import { PrisonRelease } from "./modules/prisons/prison.entity.js";
import { Person } from "./modules/people/person.entity.js";
import { Referral, ReferralEvent } from "./modules/referrals/referral.entity.js";
import { CaseloadEntry, Review, TaskforceSummary } from "./modules/reviews/review.entity.js";
import { Route } from "./modules/routes/route.entity.js";
import { FundingRecord } from "./modules/funding/funding.entity.js";
import { DistributionStatus, KitBatch, ResupplyRequest, StockCount, StockLedgerLine, StockMovement } from "./modules/kits/kit.entity.js";
import { Officer, TrainingRecord } from "./modules/officers/officer.entity.js";
import { ProgrammeStatus } from "./modules/programme/status.entity.js";

export const entities = [
  Agency,
  Route,
  AuditEvent,
  Person,
  Incident,
  Handover,
  Consent,
  AccessGrant,
  Referral,
  ReferralEvent,
  Review,
  CaseloadEntry,
  TaskforceSummary,
  SpikeAlertRecord,
  PrisonRelease,
  // Programme monitoring (issue 15)
  Officer,
  TrainingRecord,
  KitBatch,
  StockMovement,
  StockLedgerLine,
  StockCount,
  ResupplyRequest,
  DistributionStatus,
  FundingRecord,
  ProgrammeStatus,
];
