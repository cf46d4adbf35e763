import { OfferOutcome, ReleaseType } from "../../src/modules/prisons/prison.enums";
import { checkRelease, type ReleaseFacts } from "../../src/modules/prisons/prison.policy";

const TODAY = "2026-11-21";
const good: ReleaseFacts = {
  opioidUseIdentified: true, identifiedOn: "2026-08-01", pointOfOffer: "ASSESSMENT", offerOutcome: OfferOutcome.ACCEPTED,
  trainedOn: "2026-09-01", trainerType: "PEER_MENTOR", kitIssued: true, kitHeldIn: "PROPERTY",
  releaseDate: "2026-10-01", releaseType: ReleaseType.RELEASED, releasedWithKit: true,
};

describe("checkRelease", () => {
  it("accepts a complete journey", () => expect(checkRelease(good, TODAY)).toEqual([]));

  it.each<[string, Partial<ReleaseFacts>, string]>([
    ["a decline without a reason", { offerOutcome: OfferOutcome.DECLINED }, "declineReason"],
    ["a reason without a decline", { declineReason: "OTHER" }, "declineReason"],
    ["an offer without a point of offer", { pointOfOffer: null }, "pointOfOffer"],
    ["a point of offer with no offer", { offerOutcome: OfferOutcome.NOT_OFFERED }, "pointOfOffer"],
    ["a training date without a trainer", { trainerType: null }, "trainerType"],
    ["a kit location without a kit", { kitIssued: false, kitHeldIn: "VALUABLES", releasedWithKit: false }, "kitHeldIn"],
    ["released with a kit never issued", { kitIssued: false, kitHeldIn: null }, "releasedWithKit"],
    ["a transfer with the kit", { releaseType: ReleaseType.TRANSFERRED }, "releasedWithKit"],
    ["training after release", { trainedOn: "2026-10-02" }, "trainedOn"],
    ["identification after release", { identifiedOn: "2026-10-05" }, "identifiedOn"],
    ["an identification date without opioid use", { opioidUseIdentified: false }, "identifiedOn"],
    ["a release in the future", { releaseDate: "2026-12-01" }, "releaseDate"],
    ["an impossible date", { releaseDate: "2026-02-30" }, "releaseDate"],
  ])("refuses %s", (_name, change, field) => {
    expect(checkRelease({ ...good, ...change }, TODAY).map((p) => p.field)).toContain(field);
  });
});
