import { SignJWT } from "jose";
import { Role } from "../../src/core/auth/roles";
import { signToken, verifyToken } from "../../src/core/auth/tokens";
import { loadConfig } from "../../src/core/config";

const config = loadConfig({ JWT_SECRET: "s".repeat(40) });
const key = new TextEncoder().encode(config.jwt.secret);

const raw = (claims: Record<string, unknown>, opts: { iss?: string; aud?: string; exp?: number; alg?: string; secret?: Uint8Array } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? "HS256" })
    .setSubject("u1")
    .setIssuer(opts.iss ?? "naloxone-hub")
    .setAudience(opts.aud ?? "naloxone-hub")
    .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 60)
    .sign(opts.secret ?? key);

describe("tokens", () => {
  it("round-trips the contract's claims", async () => {
    const t = await signToken(config, { sub: "pc-1", agency: "DUR", roles: [Role.OFFICER], collarNumber: "1234" });
    await expect(verifyToken(config, t)).resolves.toEqual({ sub: "pc-1", agency: "DUR", roles: [Role.OFFICER], collarNumber: "1234", expiresAt: expect.any(Date) });
  });

  it.each([
    ["a wrong signature", () => raw({ agency: "DUR", roles: ["OFFICER"] }, { secret: new TextEncoder().encode("t".repeat(40)) }), /not valid/],
    ["a wrong issuer", () => raw({ agency: "DUR", roles: ["OFFICER"] }, { iss: "other" }), /not valid/],
    ["a wrong audience", () => raw({ agency: "DUR", roles: ["OFFICER"] }, { aud: "other" }), /not valid/],
    ["an expired token", () => raw({ agency: "DUR", roles: ["OFFICER"] }, { exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ["HS512 instead of HS256", () => raw({ agency: "DUR", roles: ["OFFICER"] }, { alg: "HS512" }), /not valid/],
    ["an unknown role", () => raw({ agency: "DUR", roles: ["SUPERUSER"] }), /roles/],
    ["no roles", () => raw({ agency: "DUR", roles: [] }), /roles/],
    ["no agency", () => raw({ roles: ["OFFICER"] }), /agency/],
  ])("rejects %s", async (_name, make, message) => {
    await expect(verifyToken(config, await make())).rejects.toThrow(message);
  });

  it("rejects an unsigned (alg none) token", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ sub: "x", agency: "HUB", roles: ["ADMIN"], iss: "naloxone-hub", aud: "naloxone-hub", exp: 9999999999 })).toString("base64url");
    await expect(verifyToken(config, `${header}.${body}.`)).rejects.toThrow(/not valid/);
  });
});
