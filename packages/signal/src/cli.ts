import { spawnSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { asTeamId, asUserId, EMOTIONS, parseKnowledgeJsonLines, type TeamId } from '@kefu/shared'
import type { z } from 'zod'
import { hashPassword } from './auth/passwords'
import { builtClient, DevCluster } from './cluster/DevCluster'
import { loadConfig } from './config'
import { EmotionSampleSchema, evaluateEmotion } from './emotion/evaluate'
import { EvalQuerySchema, evaluateRetrieval } from './knowledge/evaluate'
import { semanticRanker } from './knowledge/SemanticRanker'
import { sentenceModelFolder } from './knowledge/sentenceModel'
import { DEMO_PASSWORD, syncTeams } from './seed'
import { progressLine, type SimulationProgress, simulate } from './simulate/simulate'
import { openRepository } from './store/openRepository'
import type { Repository, StaffRole } from './store/Repository'

const USAGE = `kefu: manage staff in the data folder (DATA_DIR, default ./data)

  kefu team list                                   (the routing file's teams, ROUTING_CONFIG_FILE)
  kefu agent add <login> --name <name> --teams a,b [--capacity 3] [--role agent|supervisor] [--password <p>]
  kefu agent teams <login> --teams a,b
  kefu agent deactivate <login>
  kefu agent list

  kefu cluster [--port 8080] [--nodes 3] [--livekit-port 7880] [--folder .cache/cluster]
                                                   (PostgreSQL, Redis, 2 LiveKit, signal nodes, HAProxy)

  kefu kb eval --kb KB.jsonl --queries Q.jsonl     (each query {"q","expected_id"})
  kefu emotion eval --data D.jsonl                 (each {"text","label","lang"})

  kefu simulate [--url http://127.0.0.1:8080] [--rate 6] [--duration 120] [--surge 60:30:3]
                [--vip 0.2] [--abandon 0.15] [--patience-s 45] [--typing-ms 2500] [--rate-share 0.6]
                [--agents alice,bob,carol] [--password kefu-demo] [--seed 1]

\`kb eval\` loads that knowledge base alone, ranks as the server does (words, then meaning with the
sentence model setup fetched; SENTENCE_MODEL_DIR=none for words alone) and prints top-1, top-3 and
MRR; \`emotion eval\` prints accuracy and F1 per label. Both end with a line \`BENCH {json}\`.

A running server ends or narrows the person's live sessions within SESSION_REVIEW_MS.
\`simulate\` drives a running development server with simulated customers (Poisson arrivals per
minute, a VIP share, typing delays, some giving up, ratings) and agents answering them; --surge is
start:seconds:factor.
`

async function knownTeams(repo: Repository, list: string): Promise<TeamId[]> {
  const known = new Set((await repo.listTeams()).map((team) => team.id))
  const teams = list
    .split(',')
    .filter(Boolean)
    .map((team) => asTeamId(team))
  const unknown = teams.filter((team) => !known.has(team))
  if (unknown.length > 0) throw new Error(`unknown team(s): ${unknown.join(', ')}; add them first`)
  return teams
}

async function run(argv: string[]): Promise<string> {
  if (argv[0] === 'cluster') return runCluster(argv.slice(1))
  if (argv[0] === 'simulate') return runSimulation(argv.slice(1))
  if (argv[0] === 'kb' && argv[1] === 'eval') return runKnowledgeEval(argv.slice(2))
  if (argv[0] === 'emotion' && argv[1] === 'eval') return runEmotionEval(argv.slice(2))
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      teams: { type: 'string', default: '' },
      capacity: { type: 'string', default: '3' },
      role: { type: 'string', default: 'agent' },
      password: { type: 'string' },
    },
  })
  const [noun, verb, id] = positionals
  const config = loadConfig({ KEFU_DEV: '1', ...process.env })
  const repo = await openRepository(config)
  try {
    // The routing file's teams are in the store before anyone is added to them, as the server's
    // start puts them there: an agent can be created for a team on a store no server has opened yet.
    await syncTeams(repo, config.routing)
    // Routing, its targets and its alerts read the routing file: a team anywhere else could be
    // staffed but never sent a conversation.
    if (noun === 'team' && verb === 'add')
      throw new Error(
        'teams are kept in the routing file (ROUTING_CONFIG_FILE): add the team there, with its answer target and the rules that send to it, and restart the server',
      )
    if (noun === 'team' && verb === 'list') {
      return config.routing.teams
        .map((team) => {
          const overflow = team.overflow
            ? `\toverflows to ${team.overflow.toTeam} after ${team.overflow.afterMs} ms`
            : ''
          return `${team.id}\t${team.name}\t${team.answerTargetMs} ms${overflow}`
        })
        .join('\n')
    }
    if (noun === 'agent' && verb === 'add' && id) {
      const role = values.role === 'supervisor' ? 'supervisor' : ('agent' satisfies StaffRole)
      const teams = await knownTeams(repo, values.teams)
      const password = values.password ?? randomBytes(9).toString('base64url')
      await repo.createStaff({
        id: asUserId(`s_${randomUUID().slice(0, 8)}`),
        login: id,
        displayName: values.name ?? id,
        role,
        passwordHash: await hashPassword(password),
        capacity: Number(values.capacity),
        teams,
      })
      return `${role} ${id} added; password: ${password}`
    }
    if (noun === 'agent' && (verb === 'teams' || verb === 'deactivate') && id) {
      const staff = await repo.findStaffByLogin(id)
      if (!staff) throw new Error(`no staff member with login ${id}`)
      if (verb === 'deactivate') {
        await repo.updateStaff(staff.id, { active: false })
        return `${id} deactivated`
      }
      const teams = await knownTeams(repo, values.teams)
      await repo.updateStaff(staff.id, { teams })
      return `${id} now in teams: ${teams.join(', ') || 'none'}`
    }
    if (noun === 'agent' && verb === 'list') {
      const staff = await repo.listStaff()
      return staff
        .map(
          (s) =>
            `${s.login}\t${s.role}\t${s.displayName}\tcapacity ${s.capacity}\t${s.teams.join(',')}${s.active ? '' : '\tdeactivated'}`,
        )
        .join('\n')
    }
    return USAGE
  } finally {
    await repo.close()
  }
}

// `pnpm kefu` runs in this package's folder; a path given on the command line is the user's.
const userPath = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path)

/** Reads a JSON Lines file of `schema` records, naming the first bad line. */
function readJsonLines<T>(path: string, schema: z.ZodType<T>): T[] {
  return readFileSync(userPath(path), 'utf8')
    .split(/\r?\n/)
    .flatMap((line, index) => {
      if (line.trim() === '') return []
      const parsed = schema.safeParse(JSON.parse(line))
      if (!parsed.success) throw new Error(`${path}:${index + 1}: ${parsed.error.issues[0]?.message}`)
      return [parsed.data]
    })
}

/** A command-line number, named in the error when it is not one. */
function number(name: string, text: string): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name}: not a number: ${text}`)
  return value
}

const fixed = (value: number, digits = 3) => Number(value.toFixed(digits))

async function runKnowledgeEval(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: { kb: { type: 'string' }, queries: { type: 'string' } },
  })
  if (!values.kb || !values.queries) throw new Error('kb eval needs --kb KB.jsonl and --queries Q.jsonl')
  const knowledge = parseKnowledgeJsonLines(readFileSync(userPath(values.kb), 'utf8'))
  if (!knowledge.ok) {
    const [first] = knowledge.problems
    throw new Error(`${values.kb}:${first?.line}: ${first?.field || 'line'}: ${first?.message}`)
  }
  const model = sentenceModelFolder(process.env.SENTENCE_MODEL_DIR)
  const ranker = model ? await semanticRanker(model) : undefined
  const queries = readJsonLines(values.queries, EvalQuerySchema)
  const scores = await evaluateRetrieval(knowledge.entries, queries, ranker)
  return [
    `${knowledge.entries.length} entries, ${scores.queries} queries, index built in ${scores.buildMs.toFixed(0)} ms`,
    ranker
      ? `ranked by words, then meaning (${model}; variants encoded in ${scores.learnMs.toFixed(0)} ms)`
      : 'ranked by words alone (no sentence model: run `pnpm --filter @kefu/signal model:ensure`)',
    ...scores.misses.map(
      (miss) => `  miss: ${miss.q} -> ${miss.got ?? 'nothing'} (expected ${miss.expected})`,
    ),
    `top-1 ${scores.top1.toFixed(3)}  top-3 ${scores.top3.toFixed(3)}  MRR ${scores.mrr.toFixed(3)}  query p50 ${scores.p50Ms.toFixed(3)} ms  p99 ${scores.p99Ms.toFixed(3)} ms`,
    `BENCH ${JSON.stringify({ top1: fixed(scores.top1), top3: fixed(scores.top3), mrr: fixed(scores.mrr), p99_ms: fixed(scores.p99Ms) })}`,
  ].join('\n')
}

/** Starts a whole cluster on this machine and keeps it running until Ctrl-C. */
async function runCluster(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8080' },
      nodes: { type: 'string', default: '3' },
      'livekit-port': { type: 'string', default: '7880' },
      folder: { type: 'string' },
      // The suite's own build is used as it is: rebuilding it would pull it from under other tests.
      prebuilt: { type: 'boolean', default: false },
    },
  })
  const signalDir = process.cwd()
  const say = (line: string) => process.stdout.write(`${line}\n`)
  if (!values.prebuilt) {
    // What each node runs is the build production runs, made from the sources as they are now.
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' })
    if (built.status !== 0) throw new Error('the server did not build')
    if (!builtClient(signalDir))
      spawnSync('pnpm', ['--filter', '@kefu/client', 'build'], { stdio: 'inherit' })
  }
  say('Starting a kefu3d cluster:')
  const cluster = await DevCluster.start({
    folder: values.folder ? userPath(values.folder) : resolve(signalDir, '../../.cache/cluster'),
    signalDir,
    livekitCacheDir: resolve(signalDir, '../../.cache/livekit'),
    clientDist: builtClient(signalDir),
    port: number('port', values.port),
    signalNodes: number('nodes', values.nodes),
    livekitNodes: 2,
    livekitPort: number('livekit-port', values['livekit-port']),
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    say,
  })
  say(
    [
      '',
      'kefu3d cluster is running (Ctrl-C stops all of it)',
      `  Through the load balancer   ${cluster.url}/chat   ${cluster.url}/agent   ${cluster.url}/dashboard`,
      ...cluster.nodeUrls.map((url, index) => `  Signal node ${index + 1}               ${url}`),
      ...cluster.livekitUrls.map((url, index) => `  LiveKit node ${index + 1}              ${url}`),
      `  Logs and data               ${cluster.folder}`,
      `  Demo logins as for pnpm start (password "${DEMO_PASSWORD}")`,
      '',
    ].join('\n'),
  )
  // Kept listening while stopping: a Ctrl-C arrives twice (from the terminal, relayed by tsx), and
  // with no listener left the second would kill this process with the cluster half stopped.
  await new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve())
    process.on('SIGTERM', () => resolve())
  })
  await cluster.stop()
  return 'kefu3d cluster stopped'
}

function runEmotionEval(argv: string[]): string {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' } } })
  if (!values.data) throw new Error('emotion eval needs --data D.jsonl')
  const samples = readJsonLines(values.data, EmotionSampleSchema)
  const scores = evaluateEmotion(samples)
  return [
    `${samples.length} messages`,
    ...EMOTIONS.map((label) => {
      const { precision, recall, f1, support } = scores.perLabel[label]
      return `  ${label.padEnd(12)} precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  F1 ${f1.toFixed(3)}  (${support})`
    }),
    `accuracy ${scores.accuracy.toFixed(3)}  macro-F1 ${scores.macroF1.toFixed(3)}`,
    `BENCH ${JSON.stringify({ accuracy: fixed(scores.accuracy), macro_f1: fixed(scores.macroF1) })}`,
  ].join('\n')
}

async function runSimulation(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 8080}` },
      rate: { type: 'string', default: '6' },
      duration: { type: 'string', default: '120' },
      surge: { type: 'string' },
      vip: { type: 'string', default: '0.2' },
      abandon: { type: 'string', default: '0.15' },
      'patience-s': { type: 'string', default: '45' },
      'typing-ms': { type: 'string', default: '2500' },
      'rate-share': { type: 'string', default: '0.6' },
      agents: { type: 'string', default: 'alice,bob,carol' },
      password: { type: 'string', default: DEMO_PASSWORD },
      seed: { type: 'string', default: String(Date.now() % 100_000) },
    },
  })

  const surge = values.surge?.split(':').map((part) => number('surge', part))
  if (surge && surge.length !== 3) throw new Error('--surge: start:seconds:factor, e.g. 60:30:3')
  // A terminal gets a bar redrawn in place; a log gets a line every 10 s.
  const isTty = process.stderr.isTTY
  let loggedAt = 0
  const show = (progress: SimulationProgress) => {
    if (isTty) process.stderr.write(`\r${progressLine(progress)}`)
    else if (Date.now() - loggedAt >= 10_000) {
      loggedAt = Date.now()
      process.stderr.write(`${progressLine(progress)}\n`)
    }
  }
  const result = await simulate(
    {
      url: values.url.replace(/\/$/, ''),
      ratePerMin: number('rate', values.rate),
      durationS: number('duration', values.duration),
      surge: surge && { atS: surge[0] ?? 0, forS: surge[1] ?? 0, factor: surge[2] ?? 1 },
      vipShare: number('vip', values.vip),
      abandonShare: number('abandon', values.abandon),
      patienceS: number('patience-s', values['patience-s']),
      typingMs: number('typing-ms', values['typing-ms']),
      rateShare: number('rate-share', values['rate-share']),
      agents: values.agents
        .split(',')
        .filter(Boolean)
        .map((login) => ({ login, password: values.password })),
      seed: number('seed', values.seed),
    },
    show,
  )
  return `${isTty ? '\n' : ''}${progressLine(result)}`
}

run(process.argv.slice(2)).then(
  (output) => process.stdout.write(`${output}\n`),
  (error: unknown) => {
    process.stderr.write(`kefu: ${(error as Error).message}\n`)
    process.exit(1)
  },
)
