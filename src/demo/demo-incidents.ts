import { Disposition, Gender, Outcome, Substance } from "../modules/incidents/incident.enums.js";
import { mulberry32 } from "../core/prng.js";
import { DEMO_AREAS } from "./demo-agencies.js";

/** Small deterministic PRNG: the same seed gives the same demo data every time. */
export const prng = mulberry32;

// Synthetic and obviously so: nobody is called this.
const GIVEN = ["Testy", "Demo", "Sample", "Placeholder", "Mock", "Dummy", "Fixture", "Example"];
const FAMILY = ["Fakeperson", "Synthetica", "Madeupson", "Notreal", "Testcase", "Specimen", "Pretendly", "Imaginary"];

export interface DemoIncident {
  force: string;
  areaCode: string;
  occurredAt: Date;
  location: { lat: number; lng: number };
  person: { givenName?: string; familyName?: string; dateOfBirth?: string; ageYears?: number; gender?: Gender } | null;
  substances: Substance[];
  doses: number;
  firstAid: boolean[];
  outcome: Outcome;
  callMinutesBefore: number | null;
  responseMinutes: number | null;
  seenByParamedics: boolean;
  kits: number | null;
  disposition: Disposition;
  handover: boolean;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/**
 * Demo administrations per force (counts from the evaluation's Table 1; Lancashire had no data),
 * spread over the 540 days before `now`, with a few repeat overdoses by the same synthetic person.
 */
export function demoIncidents(counts: Record<string, number>, now: Date, seed = 20241230): DemoIncident[] {
  const r = prng(seed);
  const out: DemoIncident[] = [];
  const repeaters = Array.from({ length: 12 }, (_, i) => ({
    givenName: GIVEN[i % GIVEN.length],
    familyName: FAMILY[(i * 3) % FAMILY.length],
    dateOfBirth: `${1970 + ((i * 7) % 30)}-0${1 + (i % 9)}-1${i % 9}`,
    gender: i % 3 === 0 ? Gender.FEMALE : Gender.MALE,
  }));
  for (const [force, n] of Object.entries(counts)) {
    const areas = Object.keys(DEMO_AREAS).filter((a) => a.startsWith(force + "-"));
    for (let i = 0; i < n; i++) {
      const areaCode = pick(r, areas);
      const centre = DEMO_AREAS[areaCode];
      const occurredAt = new Date(now.getTime() - Math.floor(r() * 540 * 24 * 60) * 60_000 - 2 * 3600_000);
      const roll = r();
      const person =
        roll < 0.15 ? null
        : roll < 0.35 ? { ageYears: 20 + Math.floor(r() * 40), gender: pick(r, [Gender.MALE, Gender.FEMALE, Gender.UNKNOWN]) }
        : roll < 0.5 ? repeaters[Math.floor(r() * repeaters.length)]
        : { givenName: pick(r, GIVEN), familyName: `${pick(r, FAMILY)}-${force}${i}`, dateOfBirth: `${1965 + Math.floor(r() * 40)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`, gender: pick(r, [Gender.MALE, Gender.FEMALE]) };
      const ambulance = r() < 0.9;
      const responseMinutes = ambulance ? 4 + Math.floor(r() * r() * 60) : null;
      const outcome = r() < 0.78 ? Outcome.CONSCIOUS_AND_RESPONSIVE : pick(r, [Outcome.UNCONSCIOUS, Outcome.NON_RESPONSIVE, Outcome.UNKNOWN, Outcome.DIED]);
      const kits = r() < 0.6 ? 1 + Math.floor(r() * 2) : null;
      out.push({
        force,
        areaCode,
        occurredAt,
        location: { lat: centre.lat + (r() - 0.5) * 0.06, lng: centre.lng + (r() - 0.5) * 0.1 },
        person,
        substances: r() < 0.3 ? [] : [pick(r, [Substance.HEROIN, Substance.HEROIN, Substance.METHADONE, Substance.NITAZENES, Substance.FENTANYL]), ...(r() < 0.3 ? [pick(r, [Substance.BENZODIAZEPINES, Substance.ALCOHOL, Substance.COCAINE])] : [])],
        doses: r() < 0.7 ? 1 : r() < 0.9 ? 2 : 3,
        firstAid: Array.from({ length: 8 }, (_, k) => r() < [0.9, 0.7, 0.95, 0.8, 0.2, 0.15, 0.6, 0.85][k]),
        outcome,
        callMinutesBefore: ambulance ? Math.floor(r() * 10) : null,
        responseMinutes,
        seenByParamedics: ambulance && r() < 0.85,
        kits,
        disposition: ambulance ? pick(r, [Disposition.CONVEYED_TO_HOSPITAL, Disposition.CONVEYED_TO_HOSPITAL, Disposition.REFUSED_CONVEYANCE, Disposition.TREATED_ON_SCENE]) : Disposition.LEFT_BEFORE_AMBULANCE,
        handover: ambulance && r() < 0.8,
      });
    }
  }
  return out.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}
