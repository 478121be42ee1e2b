// A benchmark in its short mode (BENCH_SHORT=1, a few seconds of load): a benchmark that cannot
// start or finish fails here, not for the next person who runs it. bench:bridge hung for a week
// before anyone noticed. The figures are printed, never asserted: on a shared 2-core machine they
// are a benchmark's business, not a test's.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')

function runShort(pkg: string, command: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('pnpm', ['--filter', pkg, ...command], {
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

/**
 * One benchmark, in its short mode, as a test file of its own: the suite's workers share the
 * benchmarks out, where one file of all six ran last, alone, for 80 s. A benchmark whose script
 * rebuilds the server first (`onSuiteBuild`) runs its program on the build the suite made instead:
 * a rebuild while another file starts the built server would race it.
 */
export function runsInShortMode(
  pkg: '@kefu/signal' | '@kefu/shared' | '@kefu/client',
  script: `bench:${string}`,
  { onSuiteBuild = false } = {},
): void {
  const command = onSuiteBuild
    ? ['exec', 'tsx', `bench/${script.slice('bench:'.length)}.ts`]
    : ['run', script]
  it(`${pkg} ${script} runs to the end and reports its figures`, async () => {
    const { code, output } = await runShort(pkg, command)
    const report = output.match(/^BENCH (\{.*\})$/m)?.[1]
    expect(report, output.slice(-2000)).toBeDefined()
    process.stdout.write(`${pkg} ${script}: ${report}\n`)
    const figures = Object.values(JSON.parse(report ?? '{}') as Record<string, unknown>)
    expect(figures.length).toBeGreaterThan(0)
    expect(figures.every((figure) => typeof figure === 'number' && Number.isFinite(figure))).toBe(true)
    expect(code).toBe(0)
  }, 240_000)
}
