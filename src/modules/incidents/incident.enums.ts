import { registerEnumType } from "type-graphql";

export enum Outcome {
  CONSCIOUS_AND_RESPONSIVE = "CONSCIOUS_AND_RESPONSIVE",
  UNCONSCIOUS = "UNCONSCIOUS",
  NON_RESPONSIVE = "NON_RESPONSIVE",
  DIED = "DIED",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(Outcome, {
  name: "Outcome",
  description: "The person's state after naloxone (standard form field 7, plus DIED and UNKNOWN, which the form lacks)",
  valuesConfig: {
    CONSCIOUS_AND_RESPONSIVE: { description: "Counts as an overdose reversed" },
    DIED: { description: "Fatal outcome (coroner confirmation may follow later)" },
    UNKNOWN: { description: "For example, the person left before the outcome was clear" },
  },
});

export enum Substance {
  HEROIN = "HEROIN",
  METHADONE = "METHADONE",
  FENTANYL = "FENTANYL",
  NITAZENES = "NITAZENES",
  OTHER_SYNTHETIC_OPIOID = "OTHER_SYNTHETIC_OPIOID",
  OTHER_OPIOID = "OTHER_OPIOID",
  BENZODIAZEPINES = "BENZODIAZEPINES",
  XYLAZINE = "XYLAZINE",
  COCAINE = "COCAINE",
  ALCOHOL = "ALCOHOL",
  OTHER = "OTHER",
}
registerEnumType(Substance, { name: "Substance", description: "Substance taken, if known; poly-drug use is several values" });

export enum Gender {
  FEMALE = "FEMALE",
  MALE = "MALE",
  OTHER = "OTHER",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(Gender, { name: "Gender" });

export enum Disposition {
  CONVEYED_TO_HOSPITAL = "CONVEYED_TO_HOSPITAL",
  LEFT_BEFORE_AMBULANCE = "LEFT_BEFORE_AMBULANCE",
  REFUSED_CONVEYANCE = "REFUSED_CONVEYANCE",
  TREATED_ON_SCENE = "TREATED_ON_SCENE",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(Disposition, { name: "Disposition", description: "What happened to the person next (from Scotland's form)" });
