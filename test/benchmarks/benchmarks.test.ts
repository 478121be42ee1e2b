// Every benchmark in its short mode (BENCH_SHORT=1, a few seconds of load): a benchmark that cannot
// start or finish fails here, not for the next person who runs it. bench:bridge hung for a week
// before anyone noticed. The figures are printed, never asserted: on a shared 2-core machine they
// are a benchmark's business, not a test's.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')
const BENCHMARKS = [
  ['@kefu/signal', 'bench:chat'],
  ['@kefu/signal', 'bench:voice'],
  ['@kefu/signal', 'bench:bridge'],
  ['@kefu/signal', 'bench:kb'],
  ['@kefu/shared', 'bench:metrics'],
  ['@kefu/client', 'bench:hall'],
] as const

function runShort(pkg: string, script: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('pnpm', ['--filter', pkg, 'run', script], {
    cwd: ROOT,
    env: { ...process.env, BENCH_SHORT: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })))
}

describe('every benchmark, in its short mode', () => {
  it.each(BENCHMARKS)(
    '%s %s runs to the end and reports its figures',
    async (pkg, script) => {
      const { code, output } = await runShort(pkg, script)
      const report = output.match(/^BENCH (\{.*\})$/m)?.[1]
      expect(report, output.slice(-2000)).toBeDefined()
      process.stdout.write(`${pkg} ${script}: ${report}\n`)
      const figures = Object.values(JSON.parse(report ?? '{}') as Record<string, unknown>)
      expect(figures.length).toBeGreaterThan(0)
      expect(figures.every((figure) => typeof figure === 'number' && Number.isFinite(figure))).toBe(true)
      expect(code).toBe(0)
    },
    240_000,
  )
})
