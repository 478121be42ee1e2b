import { CloseCode, ErrorCode, PROTOCOL_VERSION } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import { HallVisits } from '../hall/HallVisits'
import { HallStateFeed } from '../hall/hallState'
import { VoiceCalls } from '../livekit/VoiceCalls'
import { LocalHallSeats } from '../local/LocalHallSeats'
import { createMetrics } from '../metrics/prometheus'
import { QualityFeed } from '../metrics/QualityFeed'
import type { Repository } from '../store/Repository'
import { coreOn, customer, storesClosedAfterEach } from '../testing/inProcessCore'
import { Connection } from './Connection'
import type { ServerSocket } from './ServerSocket'

type Frame = Record<string, unknown> & { t: string }

/** A socket with nobody on the network: frames go in by hand, what the server sends is kept. */
class HandSocket implements ServerSocket {
  readyState = 1
  readonly OPEN = 1
  bufferedAmount = 0
  closedWith: number | undefined
  readonly frames: Frame[] = []
  readonly binary: Uint8Array[] = []
  private readonly listeners = new Map<string, ((...args: never[]) => void)[]>()
  private readonly waiters: { t: string; resolve: (frame: Frame) => void }[] = []
  private taken = 0

  send(data: string | Uint8Array): void {
    if (typeof data !== 'string') {
      this.binary.push(data)
      return
    }
    this.frames.push(JSON.parse(data) as Frame)
    this.wake()
  }

  close(code: number): void {
    this.closedWith = code
    this.readyState = 3
    for (const listener of this.listeners.get('close') ?? []) (listener as () => void)()
  }

  on(event: string, listener: (...args: never[]) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
  }

  receive(frame: object | string): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame)
    for (const listener of this.listeners.get('message') ?? [])
      (listener as (data: Buffer, isBinary: boolean) => void)(Buffer.from(text), false)
  }

  /** The next frame of type `t` not taken yet, once the server has sent it. */
  next(t: string): Promise<Frame> {
    return new Promise((resolve) => {
      this.waiters.push({ t, resolve })
      this.wake()
    })
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      const at = this.frames.findIndex((frame, index) => index >= this.taken && frame.t === waiter.t)
      if (at < 0) continue
      this.taken = at + 1
      this.waiters.splice(this.waiters.indexOf(waiter), 1)
      waiter.resolve(this.frames[at] as Frame)
    }
  }
}

async function connectionOn(repo: Repository, options: { maxFrameBytes?: number } = {}) {
  const { core, clock, ports, logger } = await coreOn(repo)
  const metrics = createMetrics()
  const never = () => Promise.reject(new Error('not watched in this test'))
  const socket = new HandSocket()
  new Connection(socket, customer('ada'), {
    repo,
    lifecycle: core.lifecycle,
    transfers: core.transfers,
    voiceCalls: new VoiceCalls({
      repo,
      conversations: core.conversations,
      writer: core.writer,
      lifecycle: core.lifecycle,
      voice: undefined,
    }),
    hallVisits: new HallVisits({
      repo,
      conversations: core.conversations,
      writer: core.writer,
      history: core.history,
    }),
    messaging: core.messaging,
    desk: core.desk,
    bus: ports.bus,
    presence: ports.presence,
    clock,
    logger,
    metrics,
    livekit: undefined,
    hallSeats: new LocalHallSeats(1, clock.now),
    hallFeed: new HallStateFeed(never, 1000, () => {}, clock),
    qualityFeed: new QualityFeed(never, 1000, () => {}, clock),
    emergency: { notice: () => null },
    maxFrameBytes: options.maxFrameBytes ?? 16_384,
    rateLimitPerS: 1000,
    rateLimitBurst: 1000,
  })
  return { socket, core }
}

describe('a connection, over a socket played by hand', () => {
  const store = storesClosedAfterEach()

  it('welcomes a hello, stores a message once and acks it with its seq, twice sent or not', async () => {
    const repo = await store()
    const { socket } = await connectionOn(repo)
    socket.receive({ t: 'hello', v: PROTOCOL_VERSION, deviceId: 'phone' })
    expect((await socket.next('welcome')).userId).toBe('ada')
    socket.receive({ t: 'conversation.open' })
    const opened = (await socket.next('conversation.opened')).conversation as { id: string }
    const send = { t: 'message.send', conversationId: opened.id, cid: 'c-1', kind: 'text', body: '你好' }
    socket.receive(send)
    socket.receive(send)
    const [first, again] = [await socket.next('ack'), await socket.next('ack')]
    expect(first).toMatchObject({ cid: 'c-1', seq: again.seq })
    const texts = (await repo.listMessagesAfter(opened.id as never, 0, 50)).filter((m) => m.kind === 'text')
    expect(texts.map((m) => m.body)).toEqual(['你好'])
  })

  it('refuses, each with its code, a frame before hello, a malformed one and an oversized one', async () => {
    const repo = await store()
    const { socket } = await connectionOn(repo, { maxFrameBytes: 200 })
    socket.receive({ t: 'conversation.open' })
    expect((await socket.next('error')).code).toBe(ErrorCode.BadRequest)
    socket.receive({ t: 'hello', v: PROTOCOL_VERSION, deviceId: 'phone' })
    await socket.next('welcome')
    socket.receive({ t: 'message.send', cid: 'c-broken' })
    expect(await socket.next('error')).toMatchObject({ code: ErrorCode.BadFrame, ref: 'c-broken' })
    socket.receive('{"t":"message.send"')
    expect((await socket.next('error')).code).toBe(ErrorCode.BadFrame)
    socket.receive({ t: 'ping', pad: 'x'.repeat(300) })
    expect((await socket.next('error')).code).toBe(ErrorCode.FrameTooLarge)
    socket.receive({ t: 'ping', at: 7 })
    expect((await socket.next('pong')).at).toBe(7)
    expect(socket.closedWith).toBeUndefined()
  })

  it('closes on a reader too far behind instead of queueing more for it', async () => {
    const repo = await store()
    const { socket } = await connectionOn(repo)
    socket.receive({ t: 'hello', v: PROTOCOL_VERSION, deviceId: 'phone' })
    await socket.next('welcome')
    socket.bufferedAmount = 9 * 1024 * 1024
    const before = socket.frames.length
    socket.receive({ t: 'ping', at: 1 })
    await new Promise<void>((resolve) => socket.on('close', resolve))
    expect(socket.closedWith).toBe(CloseCode.SlowConsumer)
    expect(socket.frames.length).toBe(before)
  })
})
