import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type AlertRules,
  AlertRulesSchema,
  type BotPolicy,
  DEFAULT_ALERT_RULES,
  DEFAULT_BOT_POLICY,
  DEFAULT_ROUTING_CONFIG,
  DEMO_CATALOGUE,
  DEMO_EXPERIMENTS,
  type Experiment,
  ExperimentsSchema,
  type Product,
  ProductCatalogueSchema,
  type RoutingConfig,
  RoutingConfigSchema,
} from '@kefu/shared'
import { z } from 'zod'

const DEV_SESSION_SECRET = 'kefu3d-dev-session-secret-do-not-use-in-production'
const DEV_APP_SECRET = 'kefu3d-dev-app-secret'
/** Development's integrator secret, for behaviour events posted in a demo; never used outside KEFU_DEV. */
const DEV_INTEGRATOR_SECRET = 'kefu3d-dev-integrator-secret'
const DEV_LIVEKIT_KEY = 'kefu-dev-key'
const DEV_LIVEKIT_SECRET = 'kefu3d-dev-livekit-secret-do-not-use-in-production'

const flag = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true')
const positiveInt = z.coerce.number().int().positive()

const EnvSchema = z.object({
  KEFU_DEV: flag.default(false),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  /** PostgreSQL for storage (`postgres://…`); unset, the embedded SQLite file in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Redis shared by every node of a cluster (`redis://…`); unset, this node is the whole service. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  /** Where this deployment's keys and channels begin in Redis, so several can share one. */
  REDIS_NAMESPACE: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'letters, digits, dots, dashes and underscores, up to 64')
    .default('kefu'),
  /** This node's name among the cluster's (logs, metrics, leases); unique per running process. */
  NODE_ID: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'letters, digits, dots, dashes and underscores, up to 64')
    .optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  APP_SECRET: z.string().min(16).optional(),
  ALLOWED_ORIGINS: z.string().default(''),
  EMBED_ORIGINS: z.string().optional(),
  PROFILE_MAX_AGE_S: positiveInt.default(24 * 60 * 60),
  OFFLINE_RETENTION_HOURS: positiveInt.default(72),
  PURGE_INTERVAL_MS: positiveInt.default(10 * 60 * 1000),
  MAX_FRAME_BYTES: positiveInt.default(64 * 1024),
  RATE_LIMIT_PER_S: positiveInt.default(20),
  RATE_LIMIT_BURST: positiveInt.default(60),
  AUTH_RATE_LIMIT_PER_MIN: positiveInt.default(120),
  UPLOAD_RATE_LIMIT_PER_MIN: positiveInt.default(60),
  SESSION_REVIEW_MS: positiveInt.default(10_000),
  TRUST_PROXY: z.string().optional(),
  UPLOAD_MAX_BYTES: positiveInt.default(5 * 1024 * 1024),
  AGENT_GRACE_MS: z.coerce.number().int().nonnegative().default(30_000),
  ROUTING_TICK_MS: positiveInt.default(1000),
  /** How often the queue and agents' load are sampled and alert rules checked. */
  QUALITY_SAMPLE_MS: positiveInt.default(10_000),
  ROUTING_CONFIG_FILE: z.string().optional(),
  PRODUCT_CATALOGUE_FILE: z.string().optional(),
  /** Experiments to run (JSON, `ExperimentsSchema`); development runs the demo's greeting experiment. */
  EXPERIMENTS_FILE: z.string().optional(),
  /** New conversations meet the knowledge-base assistant first; `pnpm start` turns it on. */
  BOT_FIRST: flag.default(false),
  /** The assistant answers only above this confidence (0-1), else hands the customer to a person. */
  BOT_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(DEFAULT_BOT_POLICY.minConfidence),
  /**
   * The shop's webhook that scenario flows call (order status, refunds…), signed with the secret,
   * which also signs behaviour events the shop posts. Development without one answers from the demo.
   */
  INTEGRATOR_WEBHOOK_URL: z.string().url().optional(),
  INTEGRATOR_WEBHOOK_SECRET: z.string().min(16).optional(),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8000),
  /** A knowledge base (JSON Lines) imported when the store holds none; development seeds the demo's. */
  KNOWLEDGE_SEED_FILE: z.string().optional(),
  /**
   * The sentence model that reranks knowledge hits by meaning (fetched by setup into
   * .cache/models, where it is found by default); `none` leaves ranking to words alone.
   */
  SENTENCE_MODEL_DIR: z.string().optional(),
  CLIENT_DIST: z.string().optional(),
  /**
   * The LiveKit server, or the nodes of one LiveKit cluster (sharing a Redis), comma-separated in
   * this node's order of preference: a token names the first that answers.
   */
  LIVEKIT_URL: z
    .string()
    .transform((urls) => urls.split(',').map((url) => url.trim()))
    .pipe(z.array(z.string().regex(/^wss?:\/\//, 'each must start with ws:// or wss://')).min(1))
    .optional(),
  LIVEKIT_API_KEY: z.string().min(3).optional(),
  LIVEKIT_API_SECRET: z.string().min(32).optional(),
  LIVEKIT_MANAGED: flag.default(false),
  LIVEKIT_CACHE_DIR: z.string().default('.cache/livekit'),
  LIVEKIT_PORT: z.coerce.number().int().min(1024).max(65000).default(7880),
  VOICE_TOKEN_TTL_S: positiveInt.default(600),
  HALL_SHARD_CAPACITY: positiveInt.default(30),
  WECHAT_APP_ID: z.string().min(1).optional(),
  WECHAT_APP_SECRET: z.string().min(1).optional(),
  WECHAT_TOKEN: z.string().min(3).max(32).optional(),
  WECHAT_ENCODING_AES_KEY: z.string().length(43).optional(),
  WECHAT_MESSAGE_MODE: z.enum(['plain', 'compatible', 'safe']).optional(),
  WECHAT_MAX_CLOCK_SKEW_S: positiveInt.default(300),
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  WECHAT_REPLY_LIMIT: positiveInt.default(5),
  WECHAT_REPLY_WINDOW_H: positiveInt.default(48),
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Alert thresholds and anomaly settings (JSON, `AlertRulesSchema`); the defaults otherwise. */
  ALERT_RULES_FILE: z.string().optional(),
  /** Where raised alerts are posted, signed with ALERT_WEBHOOK_SECRET. */
  ALERT_WEBHOOK_URL: z.string().url().optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

/** Everything the server reads from its environment, parsed once and validated. */
export interface Config {
  isDev: boolean
  host: string
  port: number
  publicUrl: string | undefined
  dataDir: string
  /** PostgreSQL's URL when the store is PostgreSQL; undefined for SQLite in `dataDir`. */
  databaseUrl: string | undefined
  /** Redis's URL when the node is one of a cluster; undefined for in-process ports. */
  redisUrl: string | undefined
  redisNamespace: string
  nodeId: string
  sessionSecret: string
  appSecret: string
  allowedOrigins: string[]
  /**
   * Pages that may embed the chat frame (the web widget) and receive the customer's session from
   * it; `*` (any page) only in development.
   */
  embedOrigins: readonly string[] | '*'
  profileMaxAgeS: number
  offlineRetentionMs: number
  purgeIntervalMs: number
  maxFrameBytes: number
  rateLimitPerS: number
  rateLimitBurst: number
  /** Per IP and per kind: staff logins and customer sessions each have their own bucket. */
  authRateLimitPerMin: number
  /** Per signed-in person. */
  uploadRateLimitPerMin: number
  uploadMaxBytes: number
  /** How often live sockets are held against their token's expiry and their account. */
  sessionReviewMs: number
  /**
   * Which proxies' X-Forwarded-For to believe (express's `trust proxy`: a hop count, `loopback`,
   * addresses): behind TLS at a proxy, the per-IP limits must see the caller, not the proxy.
   */
  trustProxy: number | string | undefined
  agentGraceMs: number
  routingTickMs: number
  qualitySampleMs: number
  routing: RoutingConfig
  /** What agents can present on the hall's showcase. */
  products: Product[]
  clientDist: string | undefined
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL']
  /** When set, /metrics answers only requests that carry it as a bearer token. */
  metricsToken: string | undefined
  alertRules: AlertRules
  experiments: Experiment[]
  /** The assistant: whether it takes new conversations first, and when it answers. */
  bot: { first: boolean; policy: BotPolicy }
  /** An OpenAI-compatible model that writes the assistant's answers from the top entries, if any. */
  llm: { baseUrl: string; apiKey: string | undefined; model: string; timeoutMs: number } | undefined
  /** JSON Lines imported into an empty knowledge base at start, if any. */
  knowledgeSeed: string | undefined
  /** `SENTENCE_MODEL_DIR` as set (see `sentenceModelFolder`). */
  sentenceModelDir: string | undefined
  alertWebhook: AlertWebhook | undefined
  /** What flows call: the shop's webhook, the in-process demo (development), or nothing. */
  integrator: { url: string; secret: string } | 'demo' | undefined
  /** Verifies behaviour events the shop posts; without it they are refused. */
  integratorSecret: string | undefined
  /** Voice is off when no LiveKit is configured (outside development). */
  livekit: LivekitConfig | undefined
  /** The WeChat customer-service channel; off unless its token and app are configured. */
  wechat: WechatConfig | undefined
}

/** WeChat's message push (callback) and customer-service send API. */
export interface WechatConfig {
  appId: string
  appSecret: string
  token: string
  /**
   * WeChat's three message modes: `plain` (bodies in clear; the signature covers only token,
   * timestamp and nonce, so it proves nothing about the body), `compatible` (both, while switching
   * over) and `safe` (AES-encrypted bodies with a signature over them; the default with a key).
   */
  mode: 'plain' | 'compatible' | 'safe'
  /** Needed for `compatible` and `safe`. */
  encodingAesKey: string | undefined
  /** Pushes whose timestamp is further than this from our clock are refused (replays). */
  maxClockSkewMs: number
  apiBase: string
  replyLimit: number
  replyWindowMs: number
}

/** Where the media engine is and how to sign for it. */
export interface LivekitConfig {
  /** One server, or the nodes of one LiveKit cluster in this node's order of preference. */
  urls: readonly string[]
  apiKey: string
  apiSecret: string
  /** Start a local LiveKit process with the server (the README's run command). */
  managed: boolean
  /** Where a livekit-server built by the project is kept. */
  cacheDir: string
  port: number
  tokenTtlS: number
  /** People per instance of the 3D hall (one LiveKit room each). */
  hallShardCapacity: number
}

/** A configuration problem, naming the variable so the operator can fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** A JSON file named by `variable`, parsed with `schema`; the built-in value when unset. */
function loadJsonFile<S extends z.ZodType>(
  variable: string,
  file: string | undefined,
  schema: S,
  fallback: z.output<S>,
): z.output<S> {
  if (!file) return fallback
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ConfigError(`${variable}: cannot read ${file} as JSON (${(error as Error).message})`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    throw new ConfigError(`${variable}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`)
  }
  return parsed.data
}

/** Comma-separated origins (`https://shop.example.com`), each checked to be one. */
function originList(variable: string, value: string): string[] {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
  for (const origin of origins) {
    let parsed: URL
    try {
      parsed = new URL(origin)
    } catch {
      throw new ConfigError(`${variable}: ${origin} is not an origin like https://shop.example.com`)
    }
    if (parsed.origin !== origin)
      throw new ConfigError(`${variable}: ${origin} is not an origin like https://shop.example.com`)
  }
  return origins
}

function requireSecret(name: string, value: string | undefined, devDefault: string, isDev: boolean): string {
  if (value) return value
  if (isDev) return devDefault
  throw new ConfigError(`${name}: required outside development (set KEFU_DEV=1 for the built-in dev value)`)
}

/** Parses the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ConfigError(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`)
  }
  const e = parsed.data
  if (e.REDIS_URL && !e.DATABASE_URL)
    throw new ConfigError('REDIS_URL: the nodes of a cluster share one store; set DATABASE_URL too')
  return {
    isDev: e.KEFU_DEV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisNamespace: e.REDIS_NAMESPACE,
    nodeId: e.NODE_ID ?? `${hostname()}-${process.pid}`,
    sessionSecret: requireSecret('SESSION_SECRET', e.SESSION_SECRET, DEV_SESSION_SECRET, e.KEFU_DEV),
    appSecret: requireSecret('APP_SECRET', e.APP_SECRET, DEV_APP_SECRET, e.KEFU_DEV),
    embedOrigins:
      e.EMBED_ORIGINS === undefined ? (e.KEFU_DEV ? '*' : []) : originList('EMBED_ORIGINS', e.EMBED_ORIGINS),
    allowedOrigins: e.ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    profileMaxAgeS: e.PROFILE_MAX_AGE_S,
    offlineRetentionMs: e.OFFLINE_RETENTION_HOURS * 60 * 60 * 1000,
    purgeIntervalMs: e.PURGE_INTERVAL_MS,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    rateLimitPerS: e.RATE_LIMIT_PER_S,
    rateLimitBurst: e.RATE_LIMIT_BURST,
    authRateLimitPerMin: e.AUTH_RATE_LIMIT_PER_MIN,
    uploadRateLimitPerMin: e.UPLOAD_RATE_LIMIT_PER_MIN,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    sessionReviewMs: e.SESSION_REVIEW_MS,
    trustProxy:
      e.TRUST_PROXY === undefined || Number.isNaN(Number(e.TRUST_PROXY))
        ? e.TRUST_PROXY
        : Number(e.TRUST_PROXY),
    agentGraceMs: e.AGENT_GRACE_MS,
    routingTickMs: e.ROUTING_TICK_MS,
    qualitySampleMs: e.QUALITY_SAMPLE_MS,
    routing: loadJsonFile(
      'ROUTING_CONFIG_FILE',
      e.ROUTING_CONFIG_FILE,
      RoutingConfigSchema,
      DEFAULT_ROUTING_CONFIG,
    ),
    products: loadJsonFile('PRODUCT_CATALOGUE_FILE', e.PRODUCT_CATALOGUE_FILE, ProductCatalogueSchema, [
      ...DEMO_CATALOGUE,
    ]),
    clientDist: e.CLIENT_DIST === undefined ? undefined : resolve(e.CLIENT_DIST),
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    experiments: loadJsonFile(
      'EXPERIMENTS_FILE',
      e.EXPERIMENTS_FILE,
      ExperimentsSchema,
      e.KEFU_DEV ? DEMO_EXPERIMENTS : [],
    ),
    bot: {
      first: e.BOT_FIRST,
      policy: { ...DEFAULT_BOT_POLICY, minConfidence: e.BOT_MIN_CONFIDENCE },
    },
    llm: e.LLM_BASE_URL
      ? { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY, model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT_MS }
      : undefined,
    knowledgeSeed: loadKnowledgeSeed(e.KNOWLEDGE_SEED_FILE, e.KEFU_DEV),
    sentenceModelDir: e.SENTENCE_MODEL_DIR,
    alertRules: loadJsonFile('ALERT_RULES_FILE', e.ALERT_RULES_FILE, AlertRulesSchema, DEFAULT_ALERT_RULES),
    alertWebhook: loadAlertWebhook(e),
    integrator: loadIntegrator(e),
    // Development signs the demo's own posts (the dev shop page) with a known secret.
    integratorSecret: e.INTEGRATOR_WEBHOOK_SECRET ?? (e.KEFU_DEV ? DEV_INTEGRATOR_SECRET : undefined),
    livekit: loadLivekit(e),
    wechat: loadWechat(e),
  }
}

// The demo's e-commerce knowledge base, its three tiers in three files, ships beside the server's
// source (and is copied beside the bundle). A browser-like test environment gives modules an http
// URL but still their folder.
function demoKnowledgeFiles(): string[] {
  const here = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url))
  return ['demo-kb.jsonl', 'demo-flows.jsonl', 'demo-playbooks.jsonl'].map((name) =>
    join(here, '../fixtures/knowledge', name),
  )
}

function loadKnowledgeSeed(path: string | undefined, isDev: boolean): string | undefined {
  const files = path ? [path] : isDev ? demoKnowledgeFiles() : []
  if (files.length === 0) return undefined
  return files
    .map((file) => {
      try {
        return readFileSync(file, 'utf8').trimEnd()
      } catch (error) {
        throw new ConfigError(`KNOWLEDGE_SEED_FILE: cannot read ${file}: ${(error as Error).message}`)
      }
    })
    .join('\n')
}

/** Where raised alerts are posted, signed with the shared secret. */
export interface AlertWebhook {
  url: string
  secret: string
}

function loadAlertWebhook(e: z.infer<typeof EnvSchema>): AlertWebhook | undefined {
  if (!e.ALERT_WEBHOOK_URL) return undefined
  if (!e.ALERT_WEBHOOK_SECRET) throw new ConfigError('ALERT_WEBHOOK_SECRET: required with ALERT_WEBHOOK_URL')
  return { url: e.ALERT_WEBHOOK_URL, secret: e.ALERT_WEBHOOK_SECRET }
}

function loadIntegrator(e: z.infer<typeof EnvSchema>): Config['integrator'] {
  if (!e.INTEGRATOR_WEBHOOK_URL) return e.KEFU_DEV ? 'demo' : undefined
  if (!e.INTEGRATOR_WEBHOOK_SECRET)
    throw new ConfigError('INTEGRATOR_WEBHOOK_SECRET: required with INTEGRATOR_WEBHOOK_URL')
  return { url: e.INTEGRATOR_WEBHOOK_URL, secret: e.INTEGRATOR_WEBHOOK_SECRET }
}

function loadWechat(e: z.infer<typeof EnvSchema>): WechatConfig | undefined {
  if (!e.WECHAT_TOKEN) return undefined
  if (!e.WECHAT_APP_ID || !e.WECHAT_APP_SECRET) {
    throw new ConfigError('WECHAT_APP_ID: WECHAT_APP_ID and WECHAT_APP_SECRET are needed with WECHAT_TOKEN')
  }
  const mode = e.WECHAT_MESSAGE_MODE ?? (e.WECHAT_ENCODING_AES_KEY ? 'safe' : 'plain')
  if (mode !== 'plain' && !e.WECHAT_ENCODING_AES_KEY) {
    throw new ConfigError(`WECHAT_ENCODING_AES_KEY: needed for WECHAT_MESSAGE_MODE=${mode}`)
  }
  return {
    appId: e.WECHAT_APP_ID,
    appSecret: e.WECHAT_APP_SECRET,
    token: e.WECHAT_TOKEN,
    mode,
    encodingAesKey: e.WECHAT_ENCODING_AES_KEY,
    maxClockSkewMs: e.WECHAT_MAX_CLOCK_SKEW_S * 1000,
    apiBase: e.WECHAT_API_BASE,
    replyLimit: e.WECHAT_REPLY_LIMIT,
    replyWindowMs: e.WECHAT_REPLY_WINDOW_H * 60 * 60 * 1000,
  }
}

function loadLivekit(e: z.infer<typeof EnvSchema>): LivekitConfig | undefined {
  const configured = e.LIVEKIT_URL !== undefined || e.LIVEKIT_MANAGED
  if (!configured && !e.KEFU_DEV) return undefined
  return {
    urls: e.LIVEKIT_URL ?? [`ws://127.0.0.1:${e.LIVEKIT_PORT}`],
    apiKey: requireSecret('LIVEKIT_API_KEY', e.LIVEKIT_API_KEY, DEV_LIVEKIT_KEY, e.KEFU_DEV),
    apiSecret: requireSecret('LIVEKIT_API_SECRET', e.LIVEKIT_API_SECRET, DEV_LIVEKIT_SECRET, e.KEFU_DEV),
    managed: e.LIVEKIT_MANAGED,
    cacheDir: resolve(e.LIVEKIT_CACHE_DIR),
    port: e.LIVEKIT_PORT,
    tokenTtlS: e.VOICE_TOKEN_TTL_S,
    hallShardCapacity: e.HALL_SHARD_CAPACITY,
  }
}
