/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | null | Uint8Array

/** One statement with its parameters, for a transaction's list. */
export interface SqlStatement {
  readonly sql: string
  readonly params: readonly SqlValue[]
}

/**
 * What the two SQL dialects cannot say alike. Everything else (upserts with `excluded`,
 * `DELETE … RETURNING`, row values, `string_agg … ORDER BY`) is written once: SQLite 3.44 and
 * PostgreSQL both understand it.
 */
export interface SqlDialect {
  /** Orders rows of an append-only table as they were written (rowid, ctid): ties between equal keys. */
  readonly insertionOrder: string
  /** Ends a subquery that picks rows to take, so two takers at once skip each other's rows. */
  readonly skipLocked: string
}

/**
 * A database as the shared statements use it: `?` placeholders in order, rows as the driver gives
 * them. Each store implements it over its driver; a statement the stores must run differently
 * (appending a message, migrating) stays in that store.
 */
export interface SqlDatabase {
  readonly dialect: SqlDialect
  /** Runs a statement; how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>
  one<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>
  /** Runs the statements in order in one transaction: all of them or none. */
  transaction(statements: readonly SqlStatement[]): Promise<void>
}

/** `?, ?, ?` for a list of `count` values, as `IN (…)` takes it. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ')
}

/** `column IN (?, …)` over `values`, false for none (an empty `IN ()` is not SQL). */
export function inList(column: string, values: readonly string[]): string {
  return values.length === 0 ? '1 = 0' : `${column} IN (${placeholders(values.length)})`
}
