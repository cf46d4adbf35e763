import { SignJWT } from "jose";
import { Role } from "../../src/core/auth/roles";
import { defaultTtlSeconds, signToken } from "../../src/core/auth/tokens";
import { loadConfig } from "../../src/core/config";
import { createTestApp, type TestApp } from "../helpers/app";

// JWT_MAX_TTL_SECONDS (default 12 hours): a token whose exp lies further than that after its iat,
// or after now, is UNAUTHENTICATED, however valid its signature.
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ demo: false });
});
afterAll(() => app.close());

const now = () => Math.floor(Date.now() / 1000);
const signed = (claims: { exp: number; iat?: number }) => {
  const jwt = new SignJWT({ agency: "HUB", roles: ["ADMIN"] }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setSubject("admin-ttl").setIssuer(app.config.jwt.issuer).setAudience(app.config.jwt.audience).setExpirationTime(claims.exp);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  return jwt.sign(new TextEncoder().encode(app.config.jwt.secret));
};
const ask = (token: string) => app.gql(`{ agencies { code } }`, {}, token);

describe("maximum token lifetime", () => {
  it("refuses a token expiring in the year 2100", async () => {
    const r = await ask(await signed({ iat: now(), exp: Math.floor(Date.UTC(2100, 0, 1) / 1000) }));
    expect(r.status).toBe(401);
    expect(r.errors![0].extensions.code).toBe("UNAUTHENTICATED");
    expect(r.errors![0].message).toMatch(/longer than the hub allows/);
  });

  it("measures from iat, and from now when iat is absent", async () => {
    // Issued 13 hours ago and still valid for another hour: 14 hours in all.
    expect((await ask(await signed({ iat: now() - 13 * 3600, exp: now() + 3600 }))).errors![0].extensions.code).toBe("UNAUTHENTICATED");
    // No iat, 13 hours from now.
    expect((await ask(await signed({ exp: now() + 13 * 3600 }))).errors![0].extensions.code).toBe("UNAUTHENTICATED");
    // Within 12 hours either way: accepted.
    const ok = await ask(await signed({ iat: now(), exp: now() + 11 * 3600 }));
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.agencies).toEqual(expect.arrayContaining([{ code: "HUB" }]));
    expect((await ask(await signed({ exp: now() + 11 * 3600 }))).errors).toBeUndefined();
  });

  it("takes the limit from JWT_MAX_TTL_SECONDS, and signs tokens within it by default", async () => {
    expect(app.config.jwt.maxTtlSeconds).toBe(12 * 3600);
    const short = loadConfig({ NODE_ENV: "test", JWT_MAX_TTL_SECONDS: "600" });
    expect(short.jwt.maxTtlSeconds).toBe(600);
    expect(defaultTtlSeconds(short)).toBe(600);
    expect(defaultTtlSeconds(app.config)).toBe(8 * 3600);
    expect(() => loadConfig({ JWT_MAX_TTL_SECONDS: "forever" })).toThrow(/JWT_MAX_TTL_SECONDS must be a whole number/);
    const shortApp = await createTestApp({ demo: false, env: { JWT_MAX_TTL_SECONDS: "600" } });
    try {
      const hour = await signToken(shortApp.config, { sub: "admin-ttl", agency: "HUB", roles: [Role.ADMIN] }, 3600);
      expect((await shortApp.gql(`{ agencies { code } }`, {}, hour)).errors![0].extensions.code).toBe("UNAUTHENTICATED");
      const byDefault = await signToken(shortApp.config, { sub: "admin-ttl", agency: "HUB", roles: [Role.ADMIN] });
      expect((await shortApp.gql(`{ agencies { code } }`, {}, byDefault)).errors).toBeUndefined();
    } finally {
      await shortApp.close();
    }
  });
});
