import { AgencyKind } from "../core/auth/roles.js";
import { ProvisionStatus } from "../modules/agencies/agency.entity.js";
import { Pathway } from "../modules/routes/route.entity.js";

export interface DemoAgency {
  code: string;
  name: string;
  kind: AgencyKind;
  areaCodes: string[];
  adderArea?: string;
  provisionStatus?: ProvisionStatus;
  officersTrained?: number | null;
  /** Administrations to 30 Dec 2024 (evaluation Table 1); null where no data was received. */
  administrations?: number | null;
}

/** An area's rough centre, for synthetic incident locations (demo only). */
export const DEMO_AREAS: Record<string, { lat: number; lng: number }> = {
  "CLE-MIDDLESBROUGH": { lat: 54.5742, lng: -1.2350 },
  "CLE-STOCKTON": { lat: 54.5705, lng: -1.3190 },
  "CLE-HARTLEPOOL": { lat: 54.6860, lng: -1.2125 },
  "CLE-REDCAR": { lat: 54.6180, lng: -1.0690 },
  "SWP-SWANSEA": { lat: 51.6214, lng: -3.9436 },
  "SWP-NEATH-PORT-TALBOT": { lat: 51.6630, lng: -3.8040 },
  "SWP-CARDIFF": { lat: 51.4816, lng: -3.1791 },
  "SWP-BRIDGEND": { lat: 51.5043, lng: -3.5769 },
  "ASC-BRISTOL": { lat: 51.4545, lng: -2.5879 },
  "ASC-BATH": { lat: 51.3811, lng: -2.3590 },
  "ASC-SOMERSET": { lat: 51.0150, lng: -3.1030 },
  "LAN-BLACKPOOL": { lat: 53.8175, lng: -3.0357 },
  "LAN-PRESTON": { lat: 53.7632, lng: -2.7031 },
  "LAN-LANCASTER": { lat: 54.0466, lng: -2.8007 },
  "DUR-DURHAM": { lat: 54.7761, lng: -1.5733 },
  "DUR-DARLINGTON": { lat: 54.5236, lng: -1.5595 },
  "DUR-EASINGTON": { lat: 54.7840, lng: -1.3560 },
  "NYP-YORK": { lat: 53.9590, lng: -1.0815 },
  "NYP-SCARBOROUGH": { lat: 54.2831, lng: -0.3998 },
  "NYP-HARROGATE": { lat: 53.9921, lng: -1.5418 },
  "NFK-NORWICH": { lat: 52.6309, lng: 1.2974 },
  "NFK-KINGS-LYNN": { lat: 52.7517, lng: 0.4016 },
  "NFK-GREAT-YARMOUTH": { lat: 52.6083, lng: 1.7305 },
};

const areas = (prefix: string) => Object.keys(DEMO_AREAS).filter((a) => a.startsWith(prefix + "-"));
const { POLICE_FORCE, AMBULANCE_SERVICE, TREATMENT_SERVICE, HARM_REDUCTION_TEAM, MASH, PRISON, PUBLIC_HEALTH, TASKFORCE, PROBATION } = AgencyKind;
const ONGOING = ProvisionStatus.ONGOING;

/** The seven forces of the evaluation's Table 1, with their reported figures, and their partners. */
export const DEMO_AGENCIES: DemoAgency[] = [
  { code: "CLE", name: "Cleveland Police", kind: POLICE_FORCE, areaCodes: areas("CLE"), adderArea: "Cleveland", provisionStatus: ONGOING, officersTrained: 179, administrations: 37 },
  { code: "SWP", name: "South Wales Police", kind: POLICE_FORCE, areaCodes: areas("SWP"), adderArea: "Swansea Bay", provisionStatus: ONGOING, officersTrained: 673, administrations: 112 },
  { code: "ASC", name: "Avon and Somerset Constabulary", kind: POLICE_FORCE, areaCodes: areas("ASC"), adderArea: "Bristol", provisionStatus: ONGOING, officersTrained: 380, administrations: 38 },
  { code: "LAN", name: "Lancashire Constabulary", kind: POLICE_FORCE, areaCodes: areas("LAN"), adderArea: "Blackpool", provisionStatus: ProvisionStatus.AGREED_NOT_IMPLEMENTED, officersTrained: null, administrations: null },
  { code: "DUR", name: "Durham Constabulary", kind: POLICE_FORCE, areaCodes: areas("DUR"), provisionStatus: ONGOING, officersTrained: 279, administrations: 92 },
  { code: "NYP", name: "North Yorkshire Police", kind: POLICE_FORCE, areaCodes: areas("NYP"), provisionStatus: ONGOING, officersTrained: 177, administrations: 19 },
  { code: "NFK", name: "Norfolk Constabulary", kind: POLICE_FORCE, areaCodes: areas("NFK"), provisionStatus: ONGOING, officersTrained: 216, administrations: 16 },

  { code: "WAST", name: "Welsh Ambulance Service (demo)", kind: AMBULANCE_SERVICE, areaCodes: areas("SWP") },
  { code: "NWAS", name: "North West Ambulance Service (demo)", kind: AMBULANCE_SERVICE, areaCodes: areas("LAN") },
  { code: "NEAS", name: "North East Ambulance Service (demo)", kind: AMBULANCE_SERVICE, areaCodes: [...areas("CLE"), ...areas("DUR")] },
  { code: "SWAST", name: "South Western Ambulance Service (demo)", kind: AMBULANCE_SERVICE, areaCodes: areas("ASC") },
  { code: "YAS", name: "Yorkshire Ambulance Service (demo)", kind: AMBULANCE_SERVICE, areaCodes: areas("NYP") },
  { code: "EEAST", name: "East of England Ambulance Service (demo)", kind: AMBULANCE_SERVICE, areaCodes: areas("NFK") },

  { code: "TS-SWANSEA", name: "Swansea Bay Recovery Service (demo)", kind: TREATMENT_SERVICE, areaCodes: areas("SWP") },
  { code: "TS-BLACKPOOL", name: "Blackpool Drug Treatment Service (demo)", kind: TREATMENT_SERVICE, areaCodes: areas("LAN") },
  { code: "TS-DURHAM", name: "County Durham Recovery Service (demo)", kind: TREATMENT_SERVICE, areaCodes: areas("DUR") },
  { code: "TS-TEESSIDE", name: "Teesside Recovery Service (demo)", kind: TREATMENT_SERVICE, areaCodes: areas("CLE") },
  { code: "TS-BRISTOL", name: "Bristol Drug Service (demo)", kind: TREATMENT_SERVICE, areaCodes: areas("ASC") },
  { code: "TS-YORK", name: "North Yorkshire Recovery Service (demo)", kind: TREATMENT_SERVICE, areaCodes: areas("NYP") },
  { code: "TS-NORFOLK", name: "Norfolk Recovery Partnership (demo)", kind: TREATMENT_SERVICE, areaCodes: areas("NFK") },

  { code: "HRT-SW", name: "South Wales Harm Reduction Team (demo)", kind: HARM_REDUCTION_TEAM, areaCodes: areas("SWP") },
  { code: "MASH-DUR", name: "Durham Multi-Agency Safeguarding Hub (demo)", kind: MASH, areaCodes: areas("DUR") },
  { code: "DPT-SW", name: "South Wales Drug Poisoning Taskforce (demo)", kind: TASKFORCE, areaCodes: areas("SWP") },
  { code: "PH-ENG", name: "Public Health Intelligence (demo)", kind: PUBLIC_HEALTH, areaCodes: Object.keys(DEMO_AREAS) },
  { code: "PRISON-3", name: "Prison 3, Category B local (demo)", kind: PRISON, areaCodes: areas("CLE") },
  { code: "PRISON-5", name: "Prison 5, Category B local (demo)", kind: PRISON, areaCodes: areas("DUR") },
  { code: "PROB-NE", name: "North East Probation (demo)", kind: PROBATION, areaCodes: [...areas("CLE"), ...areas("DUR")] },
];

export interface DemoRoute {
  areaCode: string;
  pathway: Pathway;
  targetAgencyCode: string;
  slaHours?: number;
}

/** Each area's pathway as the evaluation describes it: South Wales 72-hour review, Blackpool NFO, Durham MASH. */
export const DEMO_ROUTES: DemoRoute[] = [
  ...areas("SWP").map((a) => ({ areaCode: a, pathway: Pathway.SEVENTY_TWO_HOUR_REVIEW, targetAgencyCode: "HRT-SW", slaHours: 72 })),
  ...areas("SWP").map((a) => ({ areaCode: a, pathway: Pathway.DIRECT_TREATMENT, targetAgencyCode: "TS-SWANSEA" })),
  { areaCode: "LAN-BLACKPOOL", pathway: Pathway.NFO_COORDINATOR, targetAgencyCode: "NWAS" },
  ...areas("DUR").map((a) => ({ areaCode: a, pathway: Pathway.MASH_SAFEGUARDING, targetAgencyCode: "MASH-DUR" })),
  ...areas("CLE").map((a) => ({ areaCode: a, pathway: Pathway.DIRECT_TREATMENT, targetAgencyCode: "TS-TEESSIDE" })),
  ...areas("ASC").map((a) => ({ areaCode: a, pathway: Pathway.DIRECT_TREATMENT, targetAgencyCode: "TS-BRISTOL" })),
  ...areas("NYP").map((a) => ({ areaCode: a, pathway: Pathway.DIRECT_TREATMENT, targetAgencyCode: "TS-YORK" })),
  ...areas("NFK").map((a) => ({ areaCode: a, pathway: Pathway.DIRECT_TREATMENT, targetAgencyCode: "TS-NORFOLK" })),
];
