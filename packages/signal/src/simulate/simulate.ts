import {
  type ConversationId,
  newClientMessageId,
  PROTOCOL_VERSION,
  parseServerFrame,
  RESOLUTION_CODES,
  type ServerFrame,
} from '@kefu/shared'
import WebSocket from 'ws'

/** How the simulated day goes. */
export interface SimulationOptions {
  /** The running kefu3d server (a development server: customers are signed by its dev endpoint). */
  url: string
  /** New customers per minute, on average (Poisson arrivals). */
  ratePerMin: number
  durationS: number
  /** A surge: from `atS`, for `forS`, arrivals run `factor` times the rate. */
  surge?: { atS: number; forS: number; factor: number } | undefined
  /** Share of customers with a VIP level (routed to premium). */
  vipShare: number
  /** Share of customers who give up when kept waiting past their patience. */
  abandonShare: number
  /** Mean patience of those who give up, in seconds. */
  patienceS: number
  /** Mean typing time of a message, in ms (customers and agents alike). */
  typingMs: number
  /** Share of customers who rate the conversation when it is resolved. */
  rateShare: number
  /** Agents to sign in as (login, password), who answer what they are assigned. */
  agents: readonly { login: string; password: string }[]
  /** A seed for the random choices, so a run can be repeated. */
  seed: number
}

export interface SimulationProgress {
  elapsedS: number
  durationS: number
  arrived: number
  waiting: number
  answered: number
  resolved: number
  abandoned: number
  rated: number
}

const QUESTIONS = [
  '我的订单什么时候发货？',
  '退款多久能到账',
  'Can I change my delivery address?',
  '发票抬头开错了，能改吗',
  '优惠券用不了',
  'My payment failed twice',
]
const REPLIES = ['您好，我来帮您查一下。', '已经为您处理好了。', 'Done — anything else I can help with?']

/** A small deterministic generator (the same seed gives the same day). */
function random(seed: number): () => number {
  let state = seed | 0 || 1
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) | 0
    return (state >>> 8) / 16_777_216
  }
}

/** An exponentially distributed wait with this mean (the gaps of a Poisson process). */
const exponential = (next: () => number, mean: number) => -Math.log(1 - next()) * mean

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref())

/** One socket speaking kefu3d's protocol: frames parsed, waiters resolved in arrival order. */
class Socket {
  private readonly handlers = new Set<(frame: ServerFrame) => void>()

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return
      const parsed = parseServerFrame(data.toString('utf8'))
      if (parsed.ok) for (const handler of this.handlers) handler(parsed.value)
    })
  }

  static async open(url: string, token: string, deviceId: string): Promise<Socket> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?token=${token}`)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    const socket = new Socket(ws)
    const welcome = socket.next((frame) => frame.t === 'welcome')
    socket.send({ t: 'hello', v: PROTOCOL_VERSION, deviceId })
    await welcome
    return socket
  }

  on(handler: (frame: ServerFrame) => void): () => void {
    this.handlers.add(handler)
    return () => this.handlers.delete(handler)
  }

  next(match: (frame: ServerFrame) => boolean, timeoutMs = 10_000): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off()
        reject(new Error('timed out'))
      }, timeoutMs)
      timer.unref()
      const off = this.on((frame) => {
        if (!match(frame)) return
        clearTimeout(timer)
        off()
        resolve(frame)
      })
    })
  }

  send(frame: Record<string, unknown>): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame))
  }

  close(): void {
    this.socket.close()
  }
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as T
}

/**
 * Drives a real server with simulated people: customers arrive as a Poisson process (with an
 * optional surge), some of them VIPs, type their question, wait, give up if kept waiting past their
 * patience, and rate; agents answer what they are assigned after typing, then resolve with a code.
 * Everything goes through the same HTTP and WebSocket API as the real clients, so every figure on
 * the dashboard comes from real conversations. Ends by itself after `durationS` (and the
 * conversations under way finishing, at most a minute more).
 */
export async function simulate(
  options: SimulationOptions,
  onProgress: (progress: SimulationProgress) => void = () => undefined,
): Promise<SimulationProgress> {
  const next = random(options.seed)
  const progress: SimulationProgress = {
    elapsedS: 0,
    durationS: options.durationS,
    arrived: 0,
    waiting: 0,
    answered: 0,
    resolved: 0,
    abandoned: 0,
    rated: 0,
  }
  const agents = await Promise.all(
    options.agents.map((agent, index) => startAgent(options, agent, index, next)),
  )
  const started = Date.now()
  const elapsedS = () => (Date.now() - started) / 1000
  const report = setInterval(() => {
    progress.elapsedS = Math.min(elapsedS(), options.durationS)
    onProgress({ ...progress })
  }, 250)
  const customers: Promise<void>[] = []
  const open = new Set<Socket>()
  try {
    for (let index = 0; ; index++) {
      const now = elapsedS()
      const { surge } = options
      const inSurge = surge !== undefined && now >= surge.atS && now < surge.atS + surge.forS
      const perS = (options.ratePerMin / 60) * (inSurge ? surge.factor : 1)
      await sleep(exponential(next, 1000 / perS))
      if (elapsedS() >= options.durationS) break
      progress.arrived++
      customers.push(
        runCustomer(options, index, next, progress, open).catch(() => {
          // A customer the server turned away (rate limit, shutdown) is just one fewer.
        }),
      )
    }
    await Promise.race([Promise.allSettled(customers), sleep(60_000)])
  } finally {
    clearInterval(report)
    for (const socket of open) socket.close()
    for (const agent of agents) agent.stop()
  }
  progress.elapsedS = options.durationS
  onProgress({ ...progress })
  return progress
}

async function runCustomer(
  options: SimulationOptions,
  index: number,
  next: () => number,
  progress: SimulationProgress,
  open: Set<Socket>,
): Promise<void> {
  const isVip = next() < options.vipShare
  const userId = `sim-${options.seed}-${index}`
  const signed = await postJson<{ profile: string; signature: string }>(
    `${options.url}/api/dev/sign-profile`,
    {
      userId,
      name: `${isVip ? 'VIP ' : ''}顾客 ${index + 1}`,
      vipLevel: isVip ? 3 : 0,
      platform: (['web', 'wechat', 'alipay'] as const)[index % 3],
    },
  )
  const { token } = await postJson<{ token: string }>(`${options.url}/api/customer/session`, signed)
  const socket = await Socket.open(options.url, token, `sim-${index}`)
  open.add(socket)
  const gives = next() < options.abandonShare
  const patienceMs = exponential(next, options.patienceS * 1000)
  try {
    const opened = socket.next((frame) => frame.t === 'conversation.opened')
    socket.send({ t: 'conversation.open' })
    const frame = await opened
    if (frame.t !== 'conversation.opened') return
    const conversationId = frame.conversation.id
    // Listen before writing: an agent may be quicker than the customer's typing.
    const answered = socket
      .next((incoming) => incoming.t === 'message.new' && incoming.message.authorRole === 'agent', 120_000)
      .then(() => 'answered' as const)
    const resolved = socket.next((incoming) => incoming.t === 'conversation.resolved', 120_000)
    answered.catch(() => undefined)
    resolved.catch(() => undefined)
    progress.waiting++
    await sleep(exponential(next, options.typingMs))
    socket.send(say(conversationId, QUESTIONS[index % QUESTIONS.length] ?? '你好'))
    const gaveUp = gives ? [sleep(patienceMs).then(() => 'gave up' as const)] : []
    const outcome = await Promise.race([answered, ...gaveUp]).finally(() => progress.waiting--)
    if (outcome === 'gave up') {
      socket.send({ t: 'conversation.resolve', conversationId })
      progress.abandoned++
      await sleep(200)
      return
    }
    progress.answered++
    await resolved
    progress.resolved++
    if (next() < options.rateShare) {
      // Mostly pleased; a few are not.
      const score = next() < 0.8 ? 4 + Math.round(next()) : 1 + Math.floor(next() * 3)
      socket.send({ t: 'conversation.rate', conversationId, score })
      progress.rated++
      await sleep(200)
    }
  } finally {
    open.delete(socket)
    socket.close()
  }
}

function say(conversationId: ConversationId, body: string) {
  return {
    t: 'message.send',
    conversationId,
    cid: newClientMessageId(Date.now(), crypto.randomUUID(), 'sim'),
    body,
  }
}

async function startAgent(
  options: SimulationOptions,
  agent: { login: string; password: string },
  index: number,
  next: () => number,
): Promise<{ stop(): void }> {
  const { token, userId } = await postJson<{ token: string; userId: string }>(
    `${options.url}/api/agent/login`,
    {
      login: agent.login,
      password: agent.password,
    },
  )
  const socket = await Socket.open(options.url, token, `sim-agent-${index}`)
  socket.send({ t: 'agent.status', status: 'available' })
  const working = new Set<string>()
  const work = async (conversationId: ConversationId) => {
    if (working.has(conversationId)) return
    working.add(conversationId)
    try {
      // Answer the customer's question once it is there (it may already be, after a wait in the queue).
      await socket
        .next(
          (frame) =>
            frame.t === 'message.new' &&
            frame.message.conversationId === conversationId &&
            frame.message.authorRole === 'customer',
          options.typingMs * 4,
        )
        .catch(() => undefined)
      await sleep(exponential(next, options.typingMs))
      socket.send(say(conversationId, REPLIES[0] ?? '您好'))
      await sleep(exponential(next, options.typingMs * 2))
      socket.send(say(conversationId, REPLIES[1 + Math.floor(next() * 2)] ?? '好的'))
      await sleep(exponential(next, options.typingMs))
      const code = RESOLUTION_CODES[Math.floor(next() * 3)]
      socket.send({ t: 'conversation.resolve', conversationId, code })
    } finally {
      working.delete(conversationId)
    }
  }
  const off = socket.on((frame) => {
    const assignedToMe =
      (frame.t === 'conversation.assigned' || frame.t === 'conversation.transferred') &&
      frame.conversation.agentId === userId &&
      frame.conversation.state === 'assigned'
    if (assignedToMe) void work(frame.conversation.id)
  })
  return {
    stop() {
      off()
      socket.close()
    },
  }
}

/** `[██████░░░░] 60 % 36/60 s · 41 arrived · 3 waiting · 30 resolved · 2 abandoned · 17 rated` */
export function progressLine(progress: SimulationProgress): string {
  const share = progress.durationS === 0 ? 1 : progress.elapsedS / progress.durationS
  const filled = Math.round(share * 20)
  return `[${'█'.repeat(filled)}${'░'.repeat(20 - filled)}] ${Math.round(share * 100)} % ${Math.round(progress.elapsedS)}/${progress.durationS} s · ${progress.arrived} arrived · ${progress.waiting} waiting · ${progress.resolved} resolved · ${progress.abandoned} abandoned · ${progress.rated} rated`
}
