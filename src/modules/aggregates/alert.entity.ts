import { registerEnumType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export enum SpikeWindow {
  HOURS_24 = "HOURS_24",
  HOURS_72 = "HOURS_72",
}
registerEnumType(SpikeWindow, { name: "SpikeWindow", description: "The rolling window a spike was seen in" });

export const WINDOW_HOURS: Readonly<Record<SpikeWindow, number>> = { HOURS_24: 24, HOURS_72: 72 };

/**
 * One spike episode: an area (h3 null) or a resolution-7 cell within it, in one window. Opened when
 * the count is improbably high against the trailing 28-day baseline, updated while that holds, closed
 * when it no longer does; closed episodes are kept as the history. Holds true counts (the API
 * publishes them through the small-number rule) and never an incident or person id.
 */
@Entity({ name: "spike_alert" })
// At most one open episode per area, cell and window: a hand-written partial unique index with
// NULLS NOT DISTINCT (area-wide alerts have no cell), which TypeORM cannot express.
@Index("UQ_spike_alert_open_episode", { synchronize: false })
@Index("IDX_spike_alert_area_opened", ["areaCode", "openedAt"])
export class SpikeAlertRecord {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", length: 40 })
  areaCode: string;

  /** Resolution-7 H3 cell; null for an area-wide alert. */
  @Column({ type: "varchar", length: 16, nullable: true })
  h3: string | null;

  @Column({ type: "enum", enum: SpikeWindow, enumName: "spike_window" })
  window: SpikeWindow;

  @Column({ type: "timestamptz" })
  openedAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  closedAt: Date | null;

  @Column({ type: "timestamptz" })
  lastEvaluatedAt: Date;

  /** Administrations in the window at the last evaluation while open. */
  @Column({ type: "integer" })
  count: number;

  /** The highest window count seen during the episode. */
  @Column({ type: "integer" })
  peakCount: number;

  /** Administrations in the 28 days before the window. */
  @Column({ type: "integer" })
  baselineCount: number;

  @Column({ type: "double precision" })
  expected: number;

  @Column({ type: "double precision" })
  pValue: number;

  /** Sum of the record keys of the window's incidents at the last check (the count's cell key). */
  @Column({ type: "bigint", default: 0 })
  countKeySum: string;

  /** Sum of the record keys of the baseline's incidents at the last check. */
  @Column({ type: "bigint", default: 0 })
  baselineKeySum: string;
}
