import { requestHash } from "../../src/core/idempotency";
import { identityKey, normaliseName } from "../../src/modules/people/person.policy";

const secret = "k".repeat(40);

describe("identity keys", () => {
  it("ignore case, accents, spaces, hyphens and apostrophes", () => {
    expect(normaliseName(" Zoë-Ann O'Testperson ")).toBe("zoeannotestperson");
    expect(identityKey(secret, { givenName: "ZOË", familyName: "Test-Person", dateOfBirth: "1990-01-01" })).toBe(
      identityKey(secret, { givenName: "zoe", familyName: "test person", dateOfBirth: "1990-01-01" }),
    );
  });
  it("differ by date of birth and by secret", () => {
    const a = identityKey(secret, { givenName: "A", familyName: "B", dateOfBirth: "1990-01-01" });
    expect(identityKey(secret, { givenName: "A", familyName: "B", dateOfBirth: "1990-01-02" })).not.toBe(a);
    expect(identityKey("j".repeat(40), { givenName: "A", familyName: "B", dateOfBirth: "1990-01-01" })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
  it("do not exist without both names and a date of birth (such people are never merged)", () => {
    expect(identityKey(secret, { givenName: "A", familyName: "B" })).toBeNull();
    expect(identityKey(secret, { familyName: "B", dateOfBirth: "1990-01-01" })).toBeNull();
    expect(identityKey(secret, { givenName: "'-", familyName: "B", dateOfBirth: "1990-01-01" })).toBeNull();
  });
});

describe("request hashes", () => {
  it("ignore key order, the idempotency key and null versus absent", () => {
    expect(requestHash({ a: 1, b: { c: null, d: 2 }, idempotencyKey: "x" })).toBe(requestHash({ b: { d: 2 }, a: 1, idempotencyKey: "y" }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ t: new Date("2026-01-01T00:00:00Z") })).toBe(requestHash({ t: new Date("2026-01-01T00:00:00.000Z") }));
  });
});
