import { registerEnumType } from "type-graphql";

export enum FundingStrand {
  INITIAL_ROLLOUT = "INITIAL_ROLLOUT",
  ONGOING_TRAINING = "ONGOING_TRAINING",
  MONITORING_AND_SUPPLY = "MONITORING_AND_SUPPLY",
}

export enum FundingSource {
  FORCE_BUDGET = "FORCE_BUDGET",
  ADDER = "ADDER",
  PUBLIC_HEALTH_GRANT = "PUBLIC_HEALTH_GRANT",
  SCOTTISH_GOVERNMENT = "SCOTTISH_GOVERNMENT",
  UNKNOWN = "UNKNOWN",
}

registerEnumType(FundingStrand, {
  name: "FundingStrand",
  description: "What the money is for (domain brief §2.10)",
  valuesConfig: {
    INITIAL_ROLLOUT: { description: "Kits, initial training and set-up" },
    ONGOING_TRAINING: { description: "Refreshers and training providers" },
    MONITORING_AND_SUPPLY: { description: "Stock monitoring, replenishment and data recording" },
  },
});
registerEnumType(FundingSource, {
  name: "FundingSource",
  description: "Where the money comes from",
  valuesConfig: {
    FORCE_BUDGET: { description: "The force's health and safety budget" },
    ADDER: { description: "Home Office Project ADDER" },
    PUBLIC_HEALTH_GRANT: { description: "Public Health Grant" },
    SCOTTISH_GOVERNMENT: { description: "Scottish Government (via the Scottish Drugs Forum)" },
    UNKNOWN: { description: "Not known (non-ADDER sources were often unclear)" },
  },
});
