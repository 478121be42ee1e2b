/**
 * Reads a benchmark's numeric knobs: the named variable when set, else the full run's value, or the
 * short run's under `BENCH_SHORT=1`, a few seconds that CI runs so a benchmark that cannot start or
 * finish fails there rather than for the next person who runs it.
 */
export function benchSettings(env: Readonly<Record<string, string | undefined>>) {
  const isShort = env.BENCH_SHORT === '1'
  return {
    isShort,
    number(name: string, full: number, short: number): number {
      const given = env[name]
      return given === undefined || given === '' ? (isShort ? short : full) : Number(given)
    },
  }
}
