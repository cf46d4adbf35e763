import { registerEnumType } from "type-graphql";

/** National monitoring's carriage statuses (domain brief §2.13), plus PAUSED. */
export enum CarriageStatus {
  ONGOING = "ONGOING",
  PILOTING = "PILOTING",
  AGREED_NOT_IMPLEMENTED = "AGREED_NOT_IMPLEMENTED",
  COMMITTED_TO_PILOT = "COMMITTED_TO_PILOT",
  NO_CARRIAGE_NO_PLANS = "NO_CARRIAGE_NO_PLANS",
  PAUSED = "PAUSED",
}

export enum ReminderKind {
  KIT_EXPIRY = "KIT_EXPIRY",
  REFRESHER_DUE = "REFRESHER_DUE",
}

registerEnumType(CarriageStatus, {
  name: "CarriageStatus",
  description: "A force's naloxone carriage status as national monitoring records it",
  valuesConfig: {
    ONGOING: { description: "Carriage ongoing" },
    PILOTING: { description: "Piloting carriage" },
    AGREED_NOT_IMPLEMENTED: { description: "Provision agreed but not implemented" },
    COMMITTED_TO_PILOT: { description: "Committed to pilot soon" },
    NO_CARRIAGE_NO_PLANS: { description: "No carriage and no plans" },
    PAUSED: { description: "Carriage paused (e.g. a health and safety or supply review)" },
  },
});
registerEnumType(ReminderKind, {
  name: "ReminderKind",
  description: "What a programme reminder announces",
  valuesConfig: {
    KIT_EXPIRY: { description: "A batch of kits still in circulation expires soon" },
    REFRESHER_DUE: { description: "An officer's refresher training falls due soon" },
  },
});
