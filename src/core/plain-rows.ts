import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from "typeorm";

// Reading entities with one hand-written statement instead of TypeORM's query builder and its
// per-column hydration (the inbox's profile: about a sixth of its CPU went to
// RawSqlResultsToEntityTransformer and prepareHydratedValue). The SELECT list and the row mapping
// are built once per entity from TypeORM's metadata, so the result is the same entity object the
// repository would give (same class, same property names, embedded columns nested), with values
// as TypeORM hydrates them: enum arrays and dates cast in SQL, transformers applied.

interface Plan {
  table: string;
  select: string;
  /** The select list over another alias: [expression, result name] pairs. */
  columns(alias: string): Array<[string, string]>;
  map(row: Record<string, unknown>): unknown;
}

const plans = new WeakMap<DataSource, Map<unknown, Plan>>();

function planFor(ds: DataSource, target: EntityTarget<ObjectLiteral>): Plan {
  let byEntity = plans.get(ds);
  if (!byEntity) {
    byEntity = new Map();
    plans.set(ds, byEntity);
  }
  let plan = byEntity.get(target);
  if (plan) return plan;
  const meta = ds.getMetadata(target);
  // Columns the entity never loads (select: false, e.g. record keys) stay unloaded here too.
  const cols = meta.columns.filter((c) => !c.isVirtual && c.isSelect !== false);
  const columns = (alias: string): Array<[string, string]> =>
    cols.map((c, i) => {
      const src = `${alias}."${c.databaseName}"`;
      const type = typeof c.type === "string" ? c.type : "";
      const expr = type === "enum" && c.isArray ? `${src}::text[]` : type === "date" ? `${src}::text` : type === "enum" ? `${src}::text` : src;
      return [expr, `c${i}`];
    });
  const select = columns("t")
    .map(([expr, name]) => `${expr} AS ${name}`)
    .join(", ");
  const proto = (meta.target as { prototype: object }).prototype;
  plan = {
    table: meta.tablePath,
    select,
    columns,
    map(row) {
      const entity = Object.create(proto) as ObjectLiteral;
      for (let i = 0; i < cols.length; i++) {
        const c = cols[i];
        let v = row[`c${i}`];
        if (c.transformer && !Array.isArray(c.transformer)) v = c.transformer.from(v);
        c.setEntityValue(entity, v);
      }
      return entity;
    },
  };
  byEntity.set(target, plan);
  return plan;
}

/**
 * Entities of one table matching `where` (SQL over the alias `t`, with $1… parameters), in the
 * order `orderBy` gives (SQL over `t`), at most `limit`.
 */
export async function loadPlain<T extends ObjectLiteral>(
  db: DataSource | EntityManager,
  target: EntityTarget<T>,
  where: string,
  params: unknown[],
  opts: { orderBy?: string; limit?: number } = {},
): Promise<T[]> {
  // A DataSource, or an EntityManager (inside a transaction: its queries run on the transaction's connection).
  const ds = "manager" in db ? db : db.connection;
  const plan = planFor(ds, target as EntityTarget<ObjectLiteral>);
  const rows: Array<Record<string, unknown>> = await db.query(
    `SELECT ${plan.select} FROM "${plan.table}" t WHERE ${where}${opts.orderBy ? ` ORDER BY ${opts.orderBy}` : ""}${opts.limit !== undefined ? ` LIMIT ${Math.floor(opts.limit)}` : ""}`,
    params,
  );
  return rows.map((r) => plan.map(r) as T);
}

/**
 * A query builder's entities (its WHERE, ORDER BY and LIMIT kept, e.g. a reach policy's scope),
 * selected and hydrated as loadPlain does instead of by getMany().
 */
export async function plainMany<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<T[]> {
  const main = qb.expressionMap.mainAlias;
  if (!main?.hasMetadata) throw new Error("plainMany needs a query builder over an entity");
  const plan = planFor(qb.connection, main.metadata.target as EntityTarget<ObjectLiteral>);
  const [first, ...rest] = plan.columns(`"${main.name}"`);
  const q = qb.clone().select(first[0], first[1]);
  for (const [expr, name] of rest) q.addSelect(expr, name);
  const [sql, params] = q.getQueryAndParameters();
  const runner = (qb as unknown as { queryRunner?: { query(sql: string, params?: unknown[]): Promise<unknown> } }).queryRunner;
  const rows = (await (runner ? runner.query(sql, params) : qb.connection.query(sql, params))) as Array<Record<string, unknown>>;
  return rows.map((r) => plan.map(r) as T);
}
