import { registerEnumType } from "type-graphql";

/** The brief's list of police roles that carry (domain brief §2.8). */
export enum OfficerRole {
  RESPONSE_OFFICER = "RESPONSE_OFFICER",
  PCSO = "PCSO",
  CUSTODY_OFFICER = "CUSTODY_OFFICER",
  ROADS_POLICING = "ROADS_POLICING",
  INSPECTOR = "INSPECTOR",
  OTHER_STAFF = "OTHER_STAFF",
}

/** Rollout phases the evaluation describes: custody first, then roads policing, then response and PCSOs. */
export enum RolloutPhase {
  CUSTODY = "CUSTODY",
  ROADS_POLICING = "ROADS_POLICING",
  RESPONSE_AND_PCSO = "RESPONSE_AND_PCSO",
}

export enum TrainingKind {
  INITIAL = "INITIAL",
  REFRESHER = "REFRESHER",
}

export enum TrainingMode {
  ONLINE_SELF_DIRECTED = "ONLINE_SELF_DIRECTED",
  IN_PERSON_STANDALONE = "IN_PERSON_STANDALONE",
  INTEGRATED_FIRST_AID = "INTEGRATED_FIRST_AID",
}

export enum TrainingProvider {
  EXTERNAL = "EXTERNAL",
  IN_HOUSE = "IN_HOUSE",
}

/** The eight recommended modules of standard police training (domain brief §2.8). */
export enum TrainingModule {
  ADDICTION = "ADDICTION",
  LEGAL_PROTECTIONS = "LEGAL_PROTECTIONS",
  DRUG_TRENDS = "DRUG_TRENDS",
  RISKS_AND_BENEFITS = "RISKS_AND_BENEFITS",
  KIT_EXPIRY_AND_ORDERING = "KIT_EXPIRY_AND_ORDERING",
  BEFORE_ADMINISTERING = "BEFORE_ADMINISTERING",
  ADMINISTERING = "ADMINISTERING",
  AFTER_ADMINISTERING = "AFTER_ADMINISTERING",
}

registerEnumType(OfficerRole, {
  name: "OfficerRole",
  description: "An officer's role, from the evaluation's list",
  valuesConfig: {
    RESPONSE_OFFICER: { description: "Frontline or response officer" },
    PCSO: { description: "Police community support officer" },
    CUSTODY_OFFICER: { description: "Custody officer" },
    ROADS_POLICING: { description: "Roads policing unit" },
    INSPECTOR: { description: "Inspector" },
    OTHER_STAFF: { description: "Other police staff" },
  },
});
registerEnumType(RolloutPhase, {
  name: "RolloutPhase",
  description: "The rollout phase an officer belongs to",
  valuesConfig: {
    CUSTODY: { description: "Phase 1: custody" },
    ROADS_POLICING: { description: "Phase 2: roads policing" },
    RESPONSE_AND_PCSO: { description: "Phase 3: response officers and PCSOs" },
  },
});
registerEnumType(TrainingKind, {
  name: "TrainingKind",
  description: "Initial training or a refresher",
  valuesConfig: { INITIAL: { description: "Initial training to carry and administer" }, REFRESHER: { description: "Refresher (recommended every 12 months)" } },
});
registerEnumType(TrainingMode, {
  name: "TrainingMode",
  description: "How the training was delivered",
  valuesConfig: {
    ONLINE_SELF_DIRECTED: { description: "Self-directed online course" },
    IN_PERSON_STANDALONE: { description: "In-person standalone module" },
    INTEGRATED_FIRST_AID: { description: "Integrated with first aid for trauma emergencies" },
  },
});
registerEnumType(TrainingProvider, {
  name: "TrainingProvider",
  description: "Who delivered the training",
  valuesConfig: { EXTERNAL: { description: "External provider, e.g. a charity" }, IN_HOUSE: { description: "The force's own health and safety or training team" } },
});
registerEnumType(TrainingModule, {
  name: "TrainingModule",
  description: "The eight recommended modules of standard police naloxone training",
  valuesConfig: {
    ADDICTION: { description: "1. What underlies addiction" },
    LEGAL_PROTECTIONS: { description: "2. Legal protections when giving naloxone" },
    DRUG_TRENDS: { description: "3. New and emerging drug trends" },
    RISKS_AND_BENEFITS: { description: "4. Risks and benefits, including poly-drug overdoses and people on methadone" },
    KIT_EXPIRY_AND_ORDERING: { description: "5. Checking kit expiry and ordering replacements" },
    BEFORE_ADMINISTERING: { description: "6. Before administering: what to gather and observe on arrival" },
    ADMINISTERING: { description: "7. Administering: dose and the complementary role of CPR" },
    AFTER_ADMINISTERING: { description: "8. After administering: coming round, referral, handover, recording" },
  },
});
