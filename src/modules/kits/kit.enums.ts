import { registerEnumType } from "type-graphql";

export enum StockMovementKind {
  PROCURED = "PROCURED",
  ISSUED = "ISSUED",
  USED = "USED",
  EXPIRED = "EXPIRED",
  LOST = "LOST",
  RETURNED = "RETURNED",
}

export enum StockLocationKind {
  OFFICER = "OFFICER",
  VEHICLE = "VEHICLE",
  STATION = "STATION",
  STORE = "STORE",
}

export enum ResupplyStatus {
  OPEN = "OPEN",
  CLOSED = "CLOSED",
}

export enum KitDiscrepancyKind {
  COUNT_MISMATCH = "COUNT_MISMATCH",
  USED_NOT_ISSUED = "USED_NOT_ISSUED",
}

registerEnumType(StockMovementKind, {
  name: "StockMovementKind",
  description: "What happened to naloxone kits",
  valuesConfig: {
    PROCURED: { description: "Kits bought in (a batch with its expiry date)" },
    ISSUED: { description: "Kits handed out from a store (or another location) to an officer, vehicle or station" },
    USED: { description: "Kits used on someone (a kit counts as used once any of its doses is given)" },
    EXPIRED: { description: "Kits taken out of circulation because they expired" },
    LOST: { description: "Kits lost or damaged" },
    RETURNED: { description: "Kits handed back from a holder to a store" },
  },
});
registerEnumType(StockLocationKind, {
  name: "StockLocationKind",
  description: "Where kits are held",
  valuesConfig: {
    OFFICER: { description: "Carried by an officer; the reference is the collar number" },
    VEHICLE: { description: "In a vehicle's first-aid kit; the reference is the vehicle's call sign or fleet number" },
    STATION: { description: "At a station or custody suite; the reference is its name or code" },
    STORE: { description: "The force's central store; reference MAIN unless the force keeps several" },
  },
});
registerEnumType(ResupplyStatus, {
  name: "ResupplyStatus",
  description: "A resupply request from an administration form",
  valuesConfig: { OPEN: { description: "Not yet met by an issue of kits" }, CLOSED: { description: "Met by an issue of kits to the officer" } },
});
registerEnumType(KitDiscrepancyKind, {
  name: "KitDiscrepancyKind",
  description: "Why kits do not reconcile",
  valuesConfig: {
    COUNT_MISMATCH: { description: "A physical count differs from issued - used - expired - lost - returned at that location" },
    USED_NOT_ISSUED: { description: "An administration by the force's officer used more kits than the officer had been issued" },
  },
});
