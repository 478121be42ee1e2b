import { Channel, type ClientFrame, KefuError } from '@kefu/shared'
import type { ConnectionContext, FrameOf } from './ConnectionContext'
import type { HallSlot } from './HallSlot'
import type { VoiceBridgeSlot } from './VoiceBridgeSlot'

/** A dashboard shows the last hour unless asked otherwise. */
export const DEFAULT_DASHBOARD_WINDOW_MS = 3600_000

/** What the frame handlers work on: the connection, and the features it holds open. */
export interface FrameScope extends ConnectionContext {
  readonly voiceBridge: VoiceBridgeSlot
  readonly hall: HallSlot
  /** Replaces the dashboard this connection watches (or stops it, with undefined). */
  watchDashboard(stop: (() => void) | undefined): void
}

type Handlers = {
  [T in Exclude<ClientFrame['t'], 'hello' | 'ping'>]: (
    scope: FrameScope,
    frame: FrameOf<T>,
    receivedAt: number,
  ) => Promise<void> | void
}

/** Each frame type after the hello, by feature: chat, routing, voice, the hall, the dashboard, the desk. */
const HANDLERS: Handlers = {
  'conversation.open': async ({ session, deps }, frame) => {
    // The channel is the verified session's; a client that claims another is refused, not believed.
    const channel = session.channel ?? Channel.Web
    if (frame.channel !== undefined && frame.channel !== channel)
      throw KefuError.forbidden(`This session talks from ${channel}, not ${frame.channel}`)
    await deps.lifecycle.open(session, channel)
  },
  'message.send': async (scope, frame, receivedAt) => {
    const { message } = await scope.deps.messaging.send(scope.session, frame, scope.connectionId)
    const { conversationId, cid, seq, createdAt } = message
    scope.send({ t: 'ack', conversationId, cid, seq, createdAt })
    scope.deps.metrics.sendLatency.observe((performance.now() - receivedAt) / 1000)
  },
  'sync.request': async (scope, frame) => scope.send(await scope.deps.messaging.sync(scope.session, frame)),
  typing: ({ session, deps }, frame) => deps.messaging.typing(session, frame.conversationId, frame.isTyping),
  read: ({ session, deps }, frame) => deps.messaging.read(session, frame.conversationId, frame.seq),
  'conversation.transfer': async ({ session, deps }, frame) =>
    void (await deps.transfers.transfer(session, frame)),
  'conversation.resolve': async ({ session, deps }, frame) =>
    void (await deps.lifecycle.resolve(session, frame.conversationId, frame.code)),
  'conversation.rate': async ({ session, deps }, frame) => void (await deps.lifecycle.rate(session, frame)),
  'conversation.reopen': async ({ session, deps }, frame) =>
    void (await deps.lifecycle.reopen(session, frame.conversationId)),
  'voice.start': async ({ session, deps }, frame) =>
    void (await deps.voiceCalls.startVoice(session, frame.conversationId)),
  'voice.bridge.start': (scope, frame) => scope.voiceBridge.start(frame.conversationId, frame.sampleRate),
  'voice.bridge.stop': (scope) => scope.voiceBridge.stop('requested'),
  'hall.join': (scope) => scope.hall.join(),
  'hall.leave': (scope) => scope.hall.leave('requested'),
  'hall.watch': (scope) => scope.hall.watch(),
  'hall.unwatch': (scope) => scope.hall.stopWatching(),
  'quality.watch': (scope, frame) => {
    const { session, deps } = scope
    if (session.role !== 'supervisor') throw KefuError.forbidden('Only supervisors watch the dashboard')
    const windowMs = frame.windowMs ?? DEFAULT_DASHBOARD_WINDOW_MS
    scope.watchDashboard(
      deps.qualityFeed.watch({ teamIds: session.teams, windowMs }, (snapshot) =>
        scope.send({ t: 'quality.snapshot', snapshot }),
      ),
    )
  },
  'quality.unwatch': (scope) => scope.watchDashboard(undefined),
  'agent.status': ({ session, deps }, frame) => {
    if (session.role !== 'agent') throw KefuError.forbidden('Only agents have a status')
    return deps.desk.setStatus(session, frame.status)
  },
}

/** Hands a frame (after the hello) to its feature's handler. */
export function routeFrame(
  scope: FrameScope,
  frame: Exclude<ClientFrame, { t: 'hello' | 'ping' }>,
  receivedAt: number,
): Promise<void> | void {
  const handle = HANDLERS[frame.t] as (
    scope: FrameScope,
    frame: ClientFrame,
    at: number,
  ) => Promise<void> | void
  return handle(scope, frame, receivedAt)
}
