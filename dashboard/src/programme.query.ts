// The programme panel's one operation and its answer (DOM-free, so tests can check it against the schema).

export interface Count {
  count: number | null;
  suppressed: boolean;
}
export interface Figures {
  forceCode: string;
  dataReceived: boolean;
  distributionPaused: boolean | null;
  administrations: Count | null;
  trained: Count | null;
  carrying: Count | null;
  refresherInDate: Count | null;
  administrationsPer100Carrying: number | null;
  refresherCompliance: number | null;
  kitsOnHand: Count | null;
  kitsExpiring: Count | null;
  kitsUsed: Count | null;
}
export interface ProgrammeKpis {
  expiringWithinDays: number;
  forces: Figures[];
  total: Figures;
  fundingByStrand: Array<{ strand: string; available: number; allocated: number; spent: number; remaining: number }>;
  forcesByCarriageStatus: Array<{ status: string; forces: number }>;
  forcesDistributionPaused: number;
}

const C = `{ count suppressed }`;
const FIGURES = `forceCode dataReceived distributionPaused administrations ${C} trained ${C} carrying ${C} refresherInDate ${C} administrationsPer100Carrying refresherCompliance kitsOnHand ${C} kitsExpiring ${C} kitsUsed ${C}`;
export const PROGRAMME_KPIS = `query ProgrammeKpis($filter: ProgrammeKpiFilter) {
  programmeKpis(filter: $filter) {
    expiringWithinDays forces { ${FIGURES} } total { ${FIGURES} }
    fundingByStrand { strand available allocated spent remaining }
    forcesByCarriageStatus { status forces } forcesDistributionPaused
  }
}`;
