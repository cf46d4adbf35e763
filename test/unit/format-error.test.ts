import { scrubValues } from "../../src/core/format-error";

describe("error messages never echo submitted values", () => {
  it.each([
    ['Variable "$input" got invalid value "Zed Testperson" at "input.person.ageYears"; Int cannot represent non-integer value: "Zed Testperson"', "Zed"],
    ['Variable "$id" got invalid value { givenName: "Zed" }; Expected type "ID".', "Zed"],
    ['Expected value of type "Int!", found "Zed".', "Zed"],
    ['String cannot represent a non string value: {a: "Zed"}', "Zed"],
    ['Syntax Error: Expected Name, found String "Zed Testperson".', "Zed"],
    ['Syntax Error: Unexpected Name "Zed".', "Zed"],
  ])("%s", (message, secret) => {
    const out = scrubValues(message);
    expect(out).not.toContain(secret);
    expect(out.length).toBeGreaterThan(10);
  });

  it("keeps the field path", () => {
    expect(scrubValues('Variable "$input" got invalid value "x" at "input.doses"; Int cannot represent non-integer value: "x"')).toContain(
      'at "input.doses"',
    );
  });
});
