import { registerEnumType } from "type-graphql";

export enum PointOfOffer {
  INDUCTION = "INDUCTION",
  ASSESSMENT = "ASSESSMENT",
  CARE_OR_RECOVERY_PLANNING = "CARE_OR_RECOVERY_PLANNING",
  PRE_RELEASE_CLINIC = "PRE_RELEASE_CLINIC",
  OTHER = "OTHER",
}
registerEnumType(PointOfOffer, { name: "PointOfOffer", description: "Where take-home naloxone was offered (induction was judged the least effective)" });

export enum OfferOutcome {
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
  NOT_OFFERED = "NOT_OFFERED",
}
registerEnumType(OfferOutcome, { name: "OfferOutcome" });

export enum DeclineReason {
  AIMING_FOR_ABSTINENCE = "AIMING_FOR_ABSTINENCE",
  FEAR_OF_WITHDRAWAL = "FEAR_OF_WITHDRAWAL",
  FEAR_OF_POLICE_OR_PROBATION = "FEAR_OF_POLICE_OR_PROBATION",
  CONFUSION_WITH_NALTREXONE = "CONFUSION_WITH_NALTREXONE",
  OTHER = "OTHER",
}
registerEnumType(DeclineReason, { name: "DeclineReason", description: "Structured decline reasons, without stigmatising labels" });

export enum TrainerType {
  CLINICIAN_UNDER_PGD = "CLINICIAN_UNDER_PGD",
  NALOXONE_LEAD = "NALOXONE_LEAD",
  PEER_MENTOR = "PEER_MENTOR",
  NON_CLINICAL_STAFF = "NON_CLINICAL_STAFF",
}
registerEnumType(TrainerType, { name: "TrainerType" });

export enum KitHeldIn {
  PROPERTY = "PROPERTY",
  VALUABLES = "VALUABLES",
}
registerEnumType(KitHeldIn, { name: "KitHeldIn", description: "Where the kit waits for release: personal property (\"props\") or valuables (\"vals\")" });

export enum ReleaseType {
  RELEASED = "RELEASED",
  TRANSFERRED = "TRANSFERRED",
  COURT = "COURT",
}
registerEnumType(ReleaseType, {
  name: "ReleaseType",
  valuesConfig: {
    TRANSFERRED: { description: "To another establishment: the kit cannot follow, so not a release to the community" },
    COURT: { description: "Released directly from court" },
  },
});
