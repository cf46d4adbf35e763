import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import type { Config } from "../config.js";
import { Role } from "./roles.js";

export interface TokenClaims {
  sub: string;
  agency: string;
  roles: Role[];
  collarNumber?: string;
}

const key = (config: Config) => new TextEncoder().encode(config.jwt.secret);

export async function signToken(config: Config, claims: TokenClaims, ttlSeconds = 8 * 3600): Promise<string> {
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

/** Verifies signature (HS256 only), issuer, audience, expiry and the claim shapes. */
export async function verifyToken(config: Config, token: string): Promise<TokenClaims> {
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
  const { sub, agency, roles, collarNumber } = payload as Record<string, unknown>;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > 128) throw new TokenRejected("token has no valid sub");
  if (typeof agency !== "string" || agency.length === 0) throw new TokenRejected("token has no agency");
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === "string" && ROLE_VALUES.has(r))) {
    throw new TokenRejected("token roles are not valid");
  }
  if (collarNumber !== undefined && (typeof collarNumber !== "string" || collarNumber.length > 20)) {
    throw new TokenRejected("token collarNumber is not valid");
  }
  return { sub, agency, roles: roles as Role[], collarNumber: collarNumber as string | undefined };
}
