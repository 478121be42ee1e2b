import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { ErrorCode, type Logger } from '@kefu/shared'
import { WebSocketServer } from 'ws'
import type { SessionTokens } from '../auth/sessionTokens'
import { Connection, type ConnectionDeps } from './Connection'

const HEARTBEAT_MS = 30_000
const HEARTBEAT_SLICES = 30
// The protocol's own limit (MAX_FRAME_BYTES) answers with an error frame; this one is the hard stop.
const HARD_MAX_PAYLOAD_BYTES = 1024 * 1024

/** Upgrade-time checks and the socket server on `/ws`. */
export interface GatewayOptions {
  server: Server
  tokens: SessionTokens
  allowedOrigins: readonly string[]
  logger: Logger
  deps: ConnectionDeps
}

/** Accepts WebSocket upgrades on `/ws?token=…`: authenticated, origin-checked, size-limited. */
export function attachWebSocketGateway({ server, tokens, allowedOrigins, logger, deps }: GatewayOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_MAX_PAYLOAD_BYTES })
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
    tokens.verify(token).then(
      (result) => {
        if (!result.ok) return reject(socket, 401, result.error.code)
        wss.handleUpgrade(request, socket, head, (ws) => {
          alive.add(ws)
          slots.set(ws, nextSlot++ % HEARTBEAT_SLICES)
          ws.on('pong', () => alive.add(ws))
          new Connection(ws, result.value, deps)
        })
      },
      (error: unknown) => {
        logger.error({ err: error }, 'token check failed')
        reject(socket, 500, ErrorCode.Internal)
      },
    )
  })

  // A socket that misses a whole heartbeat is dead (a phone that lost signal sends no FIN). The pings
  // are spread over the interval, a slice per tick: pinging every socket at once stalls the event
  // loop for tens of milliseconds with a thousand sockets, which every message in flight then waits out.
  let tick = 0
  const heartbeat = setInterval(() => {
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
  }, HEARTBEAT_MS / HEARTBEAT_SLICES)
  heartbeat.unref()

  return {
    close(): void {
      clearInterval(heartbeat)
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
