import { allow, deny, or, shield } from "graphql-shield";
import type { IRules } from "graphql-shield";
import { Role } from "../core/auth/roles.js";
import { forbidden } from "../core/errors.js";
import { thnAccessDecision } from "../modules/consent/access.service.js";
import { hasRole, identifying, isIncidentResponder, ownAgencyRecord } from "./rules.js";
import { ownForceCollar, stockLocationReference } from "./programme.rules.js";

const admin = hasRole(Role.ADMIN);
/** Roles that work with individual people's records; services then scope what each agency reaches. */
const caseworker = hasRole(
  Role.OFFICER,
  Role.FORCE_LEAD,
  Role.PARAMEDIC,
  Role.NFO_COORDINATOR,
  Role.TREATMENT_WORKER,
  Role.HARM_REDUCTION_LEAD,
  Role.CASE_COORDINATOR,
  Role.MASH_REVIEWER,
);

/** Roles that work a referral inbox. */
const inboxWorker = hasRole(Role.TREATMENT_WORKER, Role.NFO_COORDINATOR, Role.MASH_REVIEWER, Role.HARM_REDUCTION_LEAD, Role.CASE_COORDINATOR);
/** Roles that run 72-hour reviews. */
const reviewer = hasRole(Role.HARM_REDUCTION_LEAD, Role.CASE_COORDINATOR);
/**
 * Who may read aggregates (heat map, area counts, KPIs, alerts, prison coverage): analysts, and the
 * leads who run a service from a dashboard. Aggregates carry no person, incident or referral id.
 */
const aggregateReader = hasRole(
  Role.ANALYST,
  Role.FORCE_LEAD,
  Role.HARM_REDUCTION_LEAD,
  Role.NFO_COORDINATOR,
  Role.PRISON_NALOXONE_LEAD,
  Role.PROGRAMME_LEAD,
);

/** What a taskforce reads of the reviews shared with it (the service scopes it to the caller's own taskforce). */
const taskforceReader = hasRole(Role.ANALYST);

/** A prison's naloxone lead: records releases and reads back its own prison's records. */
const prisonLead = hasRole(Role.PRISON_NALOXONE_LEAD);

/** Programme monitoring: a force lead for its own force, the hub's programme lead nationally. */
const forceLead = hasRole(Role.FORCE_LEAD);
const programmeLead = hasRole(Role.PROGRAMME_LEAD);
const forceOrProgrammeLead = hasRole(Role.FORCE_LEAD, Role.PROGRAMME_LEAD);
/** A paramedic: records handovers and finds the incident they attended. */
const paramedic = hasRole(Role.PARAMEDIC);

const personField = (field: string) => identifying(field, (p: { id: string }) => p.id);
const auditor = hasRole(Role.AUDITOR);
/** Roles that may take a consent decision from a person (on scene or later). */
const consentTaker = hasRole(
  Role.OFFICER,
  Role.PARAMEDIC,
  Role.NFO_COORDINATOR,
  Role.TREATMENT_WORKER,
  Role.HARM_REDUCTION_LEAD,
  Role.CASE_COORDINATOR,
  Role.MASH_REVIEWER,
);

/**
 * The one permission map for the whole schema. Anything not listed is denied (fallbackRule), and a
 * test walks the built schema to prove every field of every object type is listed here. Query,
 * Mutation and types holding personal data are listed field by field; a type without personal
 * data may be covered by one type-wide rule, being reachable only through fields guarded here.
 */
export const ruleMap: IRules = {
  Query: {
    agencies: admin,
    routes: admin,
    incident: caseworker,
    incidents: caseworker,
    person: caseworker,
    explainAccess: or(caseworker, auditor),
    emergencyGrants: auditor,
    auditEvents: auditor,
    accessReport: auditor,
    verifyAuditChain: auditor,
    auditCheckpoint: auditor,
    auditInclusionProof: auditor,
    auditConsistencyProof: auditor,
    referrals: inboxWorker,
    referral: or(inboxWorker, hasRole(Role.OFFICER, Role.FORCE_LEAD)),
    reviews: reviewer,
    review: reviewer,
    taskforceSummaries: taskforceReader,
    taskforceReviewCounts: taskforceReader,
    heatmap: aggregateReader,
    areaCounts: aggregateReader,
    areaCountTable: aggregateReader,
    kpis: aggregateReader,
    alerts: aggregateReader,
    prisonNaloxoneCoverage: aggregateReader,
    administrationsByWeek: aggregateReader,
    prisonReleases: prisonLead,
    findPerson: auditor,
    subjectAccessReport: auditor,
    retentionReport: auditor,
    stock: forceOrProgrammeLead,
    kitReconciliation: forceOrProgrammeLead,
    officers: forceLead,
    funding: forceOrProgrammeLead,
    programmeStatus: forceOrProgrammeLead,
    programmeKpis: aggregateReader,
    incidentsToHandOver: paramedic,
    // A receiving agency's own figures, for the roles that work its inbox.
    serviceFigures: inboxWorker,
  },
  Mutation: {
    createAgency: admin,
    configureRoute: admin,
    recordNaloxoneAdministration: hasRole(Role.OFFICER),
    recordHandover: paramedic,
    recordConsent: consentTaker,
    withdrawConsent: consentTaker,
    requestEmergencyAccess: hasRole(Role.HARM_REDUCTION_LEAD, Role.MASH_REVIEWER, Role.NFO_COORDINATOR, Role.PARAMEDIC),
    reviewEmergencyGrant: auditor,
    acceptReferral: inboxWorker,
    declineReferral: inboxWorker,
    recordContactAttempt: inboxWorker,
    forwardReferral: inboxWorker,
    closeReferral: inboxWorker,
    runScreeningCheck: reviewer,
    registerCaseload: hasRole(Role.TREATMENT_WORKER),
    completeReview: reviewer,
    assignReview: reviewer,
    recordPrisonRelease: prisonLead,
    recordStockMovement: forceLead,
    recordStockCount: forceLead,
    setDistributionPaused: forceLead,
    registerOfficer: forceLead,
    recordTraining: forceLead,
    recordFunding: programmeLead,
    setProgrammeStatus: programmeLead,
  },
  Subscription: {
    referralReceived: inboxWorker,
    reviewDue: reviewer,
    alertRaised: aggregateReader,
    programmeReminder: forceLead,
  },
  Referral: {
    id: allow,
    pathway: allow,
    status: allow,
    incident: allow,
    person: allow,
    fromAgency: allow,
    toAgency: allow,
    createdAt: allow,
    dueAt: allow,
    overdue: allow,
    events: allow,
    outcome: allow,
    firstContactAt: allow,
    closedAt: allow,
  },
  Review: {
    id: allow,
    incident: allow,
    person: allow,
    dueAt: allow,
    status: allow,
    overdue: allow,
    screening: allow,
    completedAt: allow,
    createdAt: allow,
    actions: allow,
    sharedWithTaskforce: allow,
    completedBySub: allow,
    reviewerSub: allow,
    caseCoordinatorSub: allow,
    notifiedAgencies: allow,
  },
  Incident: {
    id: allow,
    occurredAt: allow,
    areaCode: allow,
    location: identifying("location", (i: { personId: string }) => i.personId),
    person: allow,
    substances: allow,
    dosesAdministered: allow,
    firstAid: allow,
    outcome: allow,
    ambulanceCalledAt: allow,
    ambulanceArrivedAt: allow,
    ambulanceResponseMinutes: allow,
    seenByParamedics: allow,
    resupplyNeeded: allow,
    kitsRequired: allow,
    paraphernaliaPresent: allow,
    disposition: allow,
    officerCollarNumber: isIncidentResponder,
    ambulanceCadReference: isIncidentResponder,
    recordedAt: allow,
    recordingAgency: allow,
    handovers: allow,
    // Scoped by the loader: all for the recording force, otherwise those the caller sent or received.
    referrals: allow,
  },
  Person: {
    id: allow,
    givenName: personField("givenName"),
    familyName: personField("familyName"),
    dateOfBirth: personField("dateOfBirth"),
    ageYears: personField("ageYears"),
    gender: personField("gender"),
    consents: personField("consents"),
    // Sensitive by default: police and probation need a consent naming them, whatever else they hold.
    takeHomeNaloxone: identifying("takeHomeNaloxone", (p: { id: string }) => p.id, thnAccessDecision),
  },
  Consent: {
    id: allow,
    personId: allow,
    decision: allow,
    purposes: allow,
    recipientKinds: allow,
    recipientAgencyCodes: allow,
    method: allow,
    obtainedAt: allow,
    expiresAt: allow,
    recordedAt: allow,
    withdrawnAt: allow,
    withdrawalReason: allow,
    status: allow,
    recordedByAgency: allow,
    routed: allow,
  },
  Handover: {
    id: allow,
    incidentId: allow,
    cadReference: allow,
    handedOverAt: allow,
    patientCondition: allow,
    circumstances: allow,
    accompanyingPeople: allow,
    dosesGivenBeforeArrival: allow,
    officerCollarNumber: allow,
    conveyedToHospital: allow,
    refusedCare: allow,
    recordedAt: allow,
    ambulanceService: allow,
  },
  // Break-glass grants reach only the requester (the mutation's answer) and auditors.
  AccessGrant: allow,
  AccessExplanation: allow,
  AuditEvent: auditor,
  AuditEventConnection: auditor,
  AuditEventEdge: auditor,
  AuditChainReport: auditor,
  AuditCheckpoint: auditor,
  ReferralEvent: allow,
  IncidentReferral: allow,
  ConsentRouting: allow,
  HandoverCandidate: allow,
  ReferralConnection: allow,
  ReferralEdge: allow,
  ReviewConnection: allow,
  ReviewEdge: allow,
  ScreeningResult: allow,
  CaseloadRegistration: allow,
  TaskforceSummary: allow,
  TaskforceReviewCounts: allow,
  TaskforceReviewCountRow: allow,
  Agency: allow,
  Route: allow,
  FirstAid: allow,
  Location: allow,
  IncidentConnection: allow,
  IncidentEdge: allow,
  PageInfo: allow,
  // Aggregate shapes hold published figures only; reachable only through aggregateReader fields.
  Heatmap: allow,
  HeatCell: allow,
  AreaCount: allow,
  AreaCountTable: allow,
  AggregatePeriod: allow,
  SuppressibleCount: allow,
  SuppressionRuleInfo: allow,
  Kpis: allow,
  InterAgencyKpis: allow,
  WeeklySeries: allow,
  WeekCount: allow,
  TakeHomeNaloxoneStatus: allow,
  FirstAidItemKpi: allow,
  SpikeAlert: allow,
  // THN status is sensitive: only the prison that recorded a release sees it, field by field.
  PrisonRelease: {
    id: ownAgencyRecord,
    opioidUseIdentified: ownAgencyRecord,
    identifiedOn: ownAgencyRecord,
    pointOfOffer: ownAgencyRecord,
    offerOutcome: ownAgencyRecord,
    declineReason: ownAgencyRecord,
    trainedOn: ownAgencyRecord,
    trainerType: ownAgencyRecord,
    kitIssued: ownAgencyRecord,
    kitHeldIn: ownAgencyRecord,
    releaseDate: ownAgencyRecord,
    releaseType: ownAgencyRecord,
    releasedWithKit: ownAgencyRecord,
    recordedAt: ownAgencyRecord,
    prison: ownAgencyRecord,
  },
  // Pages of release records: the records' own fields are guarded by ownAgencyRecord.
  PrisonReleaseConnection: prisonLead,
  PrisonReleaseEdge: prisonLead,
  ServiceFigures: allow,
  ServiceFigureMonth: allow,
  ServiceFigureCounts: allow,
  CoveredPeriod: allow,
  PrisonCoverage: allow,
  PrisonCoverageRow: allow,
  PrisonCoverageFigures: allow,
  // Subject access reports: reachable only through subjectAccessReport (AUDITOR); they hold no
  // identifying values, only record ids, agency codes, bases and field names.
  SubjectAccessReport: auditor,
  HeldRecord: auditor,
  Disclosure: auditor,
  RetentionReport: auditor,
  RetentionSettings: auditor,
  RetentionDue: auditor,
  RetentionErasure: auditor,
  // Programme monitoring: no personal data; collar numbers (staff data) only for the officer's own force.
  StockMovement: allow,
  StockCount: allow,
  StockLocation: { kind: allow, reference: stockLocationReference },
  StockOnHand: allow,
  ExpiringBatch: allow,
  ResupplyOutstanding: allow,
  DistributionState: allow,
  StockSummary: allow,
  KitHolderReconciliation: allow,
  KitDiscrepancy: allow,
  KitReconciliation: allow,
  Officer: {
    id: allow,
    collarNumber: ownForceCollar,
    role: allow,
    areaCode: allow,
    carries: allow,
    rolloutPhase: allow,
    registeredAt: allow,
    updatedAt: allow,
    trainings: allow,
    refresherDueOn: allow,
  },
  OfficerConnection: forceLead,
  OfficerEdge: forceLead,
  TrainingRecord: allow,
  FundingRecord: allow,
  ProgrammeStatus: allow,
  ProgrammeReminder: {
    kind: allow,
    forceCode: allow,
    dueOn: allow,
    batch: allow,
    kits: allow,
    collarNumber: ownForceCollar,
  },
  ProgrammeKpis: allow,
  ProgrammeFigures: allow,
  ProgrammePeriod: allow,
  StrandFunding: allow,
  CarriageStatusCount: allow,
};

export const permissions = shield(ruleMap, {
  fallbackRule: deny,
  fallbackError: () => forbidden(),
  // Domain errors thrown by resolvers (BAD_USER_INPUT, NOT_FOUND, ...) must reach the client with
  // their own codes instead of shield's generic "Not Authorised!".
  allowExternalErrors: true,
  debug: false,
});
