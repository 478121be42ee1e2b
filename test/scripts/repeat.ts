// `pnpm test:repeat FILE N`: runs one test file N times, each in a fresh vitest process as the
// suite runs it, and prints how often each test failed and how, so a flake shows its rate and its
// ways of failing instead of passing once by luck.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

interface JsonReport {
  testResults: {
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[]
  }[]
}

const [file, runsArg = '10'] = process.argv.slice(2)
const runs = Number(runsArg)
if (!file || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: pnpm test:repeat FILE [N]   (FILE as in test/, e.g. e2e/hall.e2e.test.ts)\n')
  process.exit(2)
}
const testFile = file.replace(/^test\//, '')
const reportDir = mkdtempSync(join(tmpdir(), 'kefu-repeat-'))
const failures = new Map<string, string[]>()
const names = new Set<string>()
let failedRuns = 0

for (let run = 1; run <= runs; run++) {
  const report = join(reportDir, `run-${run}.json`)
  const result = spawnSync('npx', ['vitest', 'run', testFile, '--reporter=json', `--outputFile=${report}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    encoding: 'utf8',
  })
  const failedNow: string[] = []
  try {
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as JsonReport
    for (const test of parsed.testResults.flatMap((file) => file.assertionResults)) {
      names.add(test.fullName)
      if (test.status !== 'failed') continue
      failedNow.push(test.fullName)
      const [message = 'failed', ...stack] = test.failureMessages[0]?.split('\n') ?? []
      // Where in the test file it failed: the step, not only the error.
      const at = stack.find((line) => line.includes(testFile))?.trim() ?? ''
      const failure = `run ${run}: ${message} ${at}`.trim()
      failures.set(test.fullName, [...(failures.get(test.fullName) ?? []), failure])
    }
  } catch {
    failedNow.push('(no report: the run itself failed)')
  }
  if (result.status !== 0 || failedNow.length > 0) failedRuns++
  process.stdout.write(
    `run ${run}/${runs}: ${result.status === 0 ? 'passed' : `failed ${failedNow.join('; ')}`}\n`,
  )
}
// The reports of failed runs stay, whole: a failure's first line is often not enough to tell why.
if (failedRuns === 0) rmSync(reportDir, { recursive: true, force: true })

process.stdout.write(`\n${testFile}: ${runs - failedRuns}/${runs} runs passed\n`)
for (const name of names) {
  const failed = failures.get(name) ?? []
  process.stdout.write(`  ${String(runs - failed.length).padStart(3)}/${runs}  ${name}\n`)
  for (const line of failed) process.stdout.write(`           ${line}\n`)
}
if (failedRuns > 0) process.stdout.write(`\nthe failed runs' whole reports: ${reportDir}/run-N.json\n`)
process.exit(failedRuns === 0 ? 0 : 1)
