// Every migration, in order. Listed explicitly: no globs into dist/.
import { Foundation1795237649993 } from "./1795237649993-Foundation.js";
import { Recording1795238295683 } from "./1795238295683-Recording.js";
import { Consent1795238757181 } from "./1795238757181-Consent.js";
import { Referrals1795239429614 } from "./1795239429614-Referrals.js";
import { Aggregates1795240075021 } from "./1795240075021-Aggregates.js";
import { Prisons1795240346819 } from "./1795240346819-Prisons.js";
import { BenchIndexes1795240570278 } from "./1795240570278-BenchIndexes.js";
import { ReviewAssignees1795240612874 } from "./1795240612874-ReviewAssignees.js";
import { PrisonReleasePerson1795242495323 } from "./1795242495323-PrisonReleasePerson.js";
import { RecordKeys1795300000001 } from "./1795300000001-RecordKeys.js";
import { MerkleAuditLog1795320000001 } from "./1795320000001-MerkleAuditLog.js";
import { Programme1795330000001 } from "./1795330000001-Programme.js";
import { IncidentAmbulanceCad1795340000001 } from "./1795340000001-IncidentAmbulanceCad.js";
import { Retention1795350000001 } from "./1795350000001-Retention.js";
import { KpiRollup1795360000001 } from "./1795360000001-KpiRollup.js";

export const migrations: Function[] = [
  Foundation1795237649993,
  Recording1795238295683,
  Consent1795238757181,
  Referrals1795239429614,
  Aggregates1795240075021,
  Prisons1795240346819,
  BenchIndexes1795240570278,
  ReviewAssignees1795240612874,
  PrisonReleasePerson1795242495323,
  RecordKeys1795300000001,
  MerkleAuditLog1795320000001,
  Programme1795330000001,
  IncidentAmbulanceCad1795340000001,
  Retention1795350000001,
  KpiRollup1795360000001,
];
