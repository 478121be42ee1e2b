import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { CloseCode, ErrorCode, type Logger } from '@kefu/shared'
import { type WebSocket, WebSocketServer } from 'ws'
import { type CurrentSession, rightsChanged } from '../auth/currentSession'
import type { Session, SessionTokens } from '../auth/sessionTokens'
import { repeatEvery } from '../clock'
import { Connection, type ConnectionDeps } from './Connection'

const HEARTBEAT_MS = 30_000
const HEARTBEAT_SLICES = 30
// The protocol's own limit (MAX_FRAME_BYTES) answers with an error frame; this one is the hard stop.
const HARD_MAX_PAYLOAD_BYTES = 1024 * 1024

/** Upgrade-time checks and the socket server on `/ws`. */
export interface GatewayOptions {
  server: Server
  tokens: SessionTokens
  currentSession: CurrentSession
  /** How often live sockets are checked against their token's expiry and their account. */
  reviewIntervalMs: number
  allowedOrigins: readonly string[]
  logger: Logger
  deps: ConnectionDeps
}

/**
 * Accepts WebSocket upgrades on `/ws?token=…`: authenticated, origin-checked, size-limited. A socket
 * lives no longer than its token and its account's rights: it is closed with `SessionEnded` when
 * the token expires or the account is deactivated, and with `SessionChanged` when the account's
 * role or teams change, so the client reconnects and gets what it may see now.
 */
export function attachWebSocketGateway(options: GatewayOptions) {
  const { server, tokens, currentSession, allowedOrigins, logger, deps } = options
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_MAX_PAYLOAD_BYTES })
  const sessions = new Map<WebSocket, Session>()
  const alive = new WeakSet<object>()
  // Each socket keeps one slot for its life, so it is pinged exactly once per interval.
  const slots = new WeakMap<object, number>()
  let nextSlot = 0

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname !== '/ws') return reject(socket, 404, ErrorCode.NotFound)
    if (!isOriginAllowed(request, allowedOrigins)) return reject(socket, 403, ErrorCode.OriginForbidden)
    const token = url.searchParams.get('token')
    if (!token) return reject(socket, 401, ErrorCode.Unauthenticated)
    verifySocketToken(token).then(
      (session) => {
        wss.handleUpgrade(request, socket, head, (ws) => accept(ws, session))
      },
      (error: unknown) => {
        logger.error({ err: error }, 'token check failed')
        reject(socket, 500, ErrorCode.Internal)
      },
    )
  })

  // Outside the upgrade handler: a listener made in there would keep its request, head and URL
  // alive for as long as the socket lives (about 2 KB an idle customer).
  function accept(ws: WebSocket, session: Session | undefined): void {
    // A client that cannot read HTTP upgrade failures (browsers, mini-programs) can read this.
    if (!session) {
      ws.close(CloseCode.SessionEnded, 'sign in again')
      return
    }
    alive.add(ws)
    slots.set(ws, nextSlot++ % HEARTBEAT_SLICES)
    ws.on('pong', () => alive.add(ws))
    ws.on('close', () => sessions.delete(ws))
    sessions.set(ws, session)
    new Connection(ws, session, deps)
  }

  // A socket that misses a whole heartbeat is dead (a phone that lost signal sends no FIN). The pings
  // are spread over the interval, a slice per tick: pinging every socket at once stalls the event
  // loop for tens of milliseconds with a thousand sockets, which every message in flight then waits out.
  let tick = 0
  const stopHeartbeat = repeatEvery(deps.clock, HEARTBEAT_MS / HEARTBEAT_SLICES, () => {
    tick = (tick + 1) % HEARTBEAT_SLICES
    for (const ws of wss.clients) {
      if (slots.get(ws) !== tick) continue
      if (!alive.has(ws)) {
        ws.terminate()
        continue
      }
      alive.delete(ws)
      ws.ping()
    }
  })

  async function verifySocketToken(token: string): Promise<Session | undefined> {
    const verified = await tokens.verify(token)
    return verified.ok ? currentSession(verified.value) : undefined
  }

  const stopReview = repeatEvery(deps.clock, options.reviewIntervalMs, () =>
    reviewSessions().catch((error: unknown) => logger.error({ err: error }, 'session review failed')),
  )

  async function reviewSessions(): Promise<void> {
    const now = deps.clock.now()
    for (const [ws, session] of [...sessions]) {
      if (session.expiresAt !== undefined && session.expiresAt <= now) {
        end(ws, CloseCode.SessionEnded, 'session expired')
        continue
      }
      const current = await currentSession(session)
      if (!current) end(ws, CloseCode.SessionEnded, 'account deactivated')
      else if (rightsChanged(session, current)) end(ws, CloseCode.SessionChanged, 'rights changed')
    }
  }

  function end(ws: WebSocket, code: CloseCode, reason: string): void {
    sessions.delete(ws)
    ws.close(code, reason)
  }

  return {
    close(): void {
      stopHeartbeat()
      stopReview()
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}

function isOriginAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin
  // Browsers always send Origin; native apps, mini-programs and servers may not, and carry a token anyway.
  if (!origin) return true
  if (allowedOrigins.includes(origin)) return true
  try {
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
}

function reject(socket: Duplex, status: number, code: ErrorCode): void {
  const body = JSON.stringify({ code })
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  )
}
