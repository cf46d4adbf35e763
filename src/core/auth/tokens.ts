import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import type { Config } from "../config.js";
import { Role } from "./roles.js";

export interface TokenClaims {
  sub: string;
  agency: string;
  roles: Role[];
  collarNumber?: string;
}

/** Verified claims, with the moment the token stops being valid (subscriptions close then). */
export interface VerifiedClaims extends TokenClaims {
  expiresAt: Date;
}

/** The default lifetime of a token signed here: 8 hours, and never beyond JWT_MAX_TTL_SECONDS. */
export const defaultTtlSeconds = (config: Config): number => Math.min(8 * 3600, config.jwt.maxTtlSeconds);

const key = (config: Config) => new TextEncoder().encode(config.jwt.secret);

export async function signToken(config: Config, claims: TokenClaims, ttlSeconds = defaultTtlSeconds(config)): Promise<string> {
  const payload: Record<string, unknown> = { agency: claims.agency, roles: claims.roles };
  if (claims.collarNumber) payload.collarNumber = claims.collarNumber;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(config.jwt.issuer)
    .setAudience(config.jwt.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key(config));
}

export class TokenRejected extends Error {}

const ROLE_VALUES = new Set<string>(Object.values(Role));

/**
 * Verifies signature (HS256 only), issuer, audience, expiry, lifetime and the claim shapes. A token
 * whose exp lies more than JWT_MAX_TTL_SECONDS after its iat, or after now, is refused: a leaked
 * long-lived token must not work for years.
 */
export async function verifyToken(config: Config, token: string, now: Date = new Date()): Promise<VerifiedClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key(config), {
      algorithms: ["HS256"],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      requiredClaims: ["sub", "exp"],
    }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new TokenRejected("token has expired");
    throw new TokenRejected("token is not valid");
  }
  const { sub, agency, roles, collarNumber, exp, iat } = payload as Record<string, unknown>;
  if (typeof exp !== "number" || !Number.isFinite(exp)) throw new TokenRejected("token has no valid exp");
  if (iat !== undefined && (typeof iat !== "number" || !Number.isFinite(iat))) throw new TokenRejected("token has no valid iat");
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const max = config.jwt.maxTtlSeconds;
  if (exp - nowSeconds > max || (typeof iat === "number" && exp - iat > max)) throw new TokenRejected("token lives longer than the hub allows (JWT_MAX_TTL_SECONDS)");
  if (typeof sub !== "string" || sub.length === 0 || sub.length > 128) throw new TokenRejected("token has no valid sub");
  if (typeof agency !== "string" || agency.length === 0) throw new TokenRejected("token has no agency");
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === "string" && ROLE_VALUES.has(r))) {
    throw new TokenRejected("token roles are not valid");
  }
  if (collarNumber !== undefined && (typeof collarNumber !== "string" || collarNumber.length > 20)) {
    throw new TokenRejected("token collarNumber is not valid");
  }
  return { sub, agency, roles: roles as Role[], collarNumber: collarNumber as string | undefined, expiresAt: new Date(exp * 1000) };
}
