import { randomUUID } from "node:crypto";

/** A complete, valid standard form for a Durham officer, with synthetic, obviously fake details. */
export function validForm(overrides: Record<string, unknown> = {}): Record<string, any> {
  const occurredAt = new Date(Date.now() - 2 * 3600_000);
  return {
    idempotencyKey: `test-${randomUUID()}`,
    occurredAt: occurredAt.toISOString(),
    areaCode: "DUR-EASINGTON",
    location: { lat: 54.784, lng: -1.356 },
    person: { givenName: "Testy", familyName: "McFakeperson", dateOfBirth: "1990-04-01", ageYears: null, gender: "MALE" },
    substances: ["HEROIN", "NITAZENES"],
    dosesAdministered: 2,
    firstAid: {
      triedToWakeVerbally: true,
      tiltedHeadBack: true,
      checkedBreathing: true,
      recoveryPosition: true,
      chestCompressions: false,
      rescueBreaths: false,
      clearedAirways: true,
      checkedPulse: true,
    },
    outcome: "CONSCIOUS_AND_RESPONSIVE",
    ambulanceCalledAt: new Date(occurredAt.getTime() - 5 * 60_000).toISOString(),
    ambulanceArrivedAt: new Date(occurredAt.getTime() + 9 * 60_000).toISOString(),
    seenByParamedics: true,
    resupplyNeeded: true,
    kitsRequired: 1,
    paraphernaliaPresent: true,
    disposition: "CONVEYED_TO_HOSPITAL",
    ...overrides,
  };
}

export const RECORD = `mutation($input: NaloxoneAdministrationInput!) {
  recordNaloxoneAdministration(input: $input) {
    id occurredAt areaCode ambulanceResponseMinutes officerCollarNumber substances dosesAdministered outcome
    kitsRequired disposition paraphernaliaPresent firstAid { chestCompressions checkedForResponse }
    location { lat lng }
    person { id givenName familyName dateOfBirth ageYears gender }
    recordingAgency { code }
  }
}`;

export const HANDOVER = `mutation($input: HandoverInput!) {
  recordHandover(input: $input) { id incidentId handedOverAt officerCollarNumber ambulanceService { code } }
}`;

export const INCIDENT = `query($id: ID!) {
  incident(id: $id) { id areaCode location { lat lng } person { id givenName familyName dateOfBirth } handovers { id cadReference } }
}`;
