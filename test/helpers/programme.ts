import type { TestApp } from "./app";

// Shared operations for the programme-monitoring tests.

export const MOVE = `mutation($input: StockMovementInput!) {
  recordStockMovement(input: $input) { id kind kits batch expiresOn at location { kind reference } counterpart { kind reference } }
}`;
export const COUNT = `mutation($input: StockCountInput!) { recordStockCount(input: $input) { id kits at location { kind reference } } }`;
export const REGISTER = `mutation($input: OfficerInput!) { registerOfficer(input: $input) { id collarNumber role areaCode carries rolloutPhase refresherDueOn } }`;
export const TRAIN = `mutation($input: TrainingInput!) { recordTraining(input: $input) { id kind trainedOn mode provider modules confidenceBefore confidenceAfter } }`;
export const STOCK = `query($filter: StockFilter) {
  stock(filter: $filter) {
    forceCode totalOnHand days expiringKits
    onHand { location { kind reference } kits expired }
    expiring { batch expiresOn kits locations }
    resupplyOutstanding { requests kits }
    distribution { paused reason since }
  }
}`;
export const RECONCILE = `query($filter: StockFilter) {
  kitReconciliation(filter: $filter) {
    forceCode procured issued used expired lost returned storeOnHand holdersOnHand reconciled
    holders { location { kind reference } issued used expired lost returned expectedOnHand countedKits countedAt }
    discrepancies { kind location { kind reference } expected found difference }
  }
}`;
export const FUND = `mutation($input: FundingInput!) { recordFunding(input: $input) { id forceCode strand source available allocated spent periodStart periodEnd } }`;
export const STATUS = `mutation($input: ProgrammeStatusInput!) {
  setProgrammeStatus(input: $input) { id forceCode carriageStatus adder adderArea mouWithAmbulance referralPathway workingGroup dataReceived asOf }
}`;
export const PAUSE = `mutation($input: DistributionPauseInput!) { setDistributionPaused(input: $input) { paused reason since } }`;

let n = 0;
export const key = (label: string) => `test-${label}-${++n}-${Date.now()}`;
export const daysFromNow = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
export const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

export async function rowCounts(app: TestApp): Promise<Record<string, number>> {
  const tables = ["stock_movement", "stock_ledger", "stock_count", "kit_batch", "officer", "training_record", "funding_record", "programme_status", "resupply_request", "distribution_status", "audit_event"];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await app.ds.query(`SELECT count(*)::int AS n FROM ${t}`))[0].n;
  return out;
}

export function expectBadInput(r: { errors?: Array<{ extensions: { code: string; problems?: unknown } }> }, field: string): void {
  const e = r.errors?.[0];
  if (e?.extensions.code !== "BAD_USER_INPUT") throw new Error(`expected BAD_USER_INPUT on ${field}, got ${JSON.stringify(r.errors)}`);
  const fields = ((e.extensions.problems ?? []) as Array<{ field: string }>).map((p) => p.field);
  if (!fields.includes(field)) throw new Error(`expected a problem on ${field}, got ${JSON.stringify(fields)}`);
}
