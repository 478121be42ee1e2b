import { type ClientFrameInput, PROTOCOL_VERSION, type ServerFrame, type ServerFrameOf } from '@kefu/shared'
import WebSocket from 'ws'

const DEFAULT_WAIT_MS = 5000
let nextCid = 0

/** A real WebSocket client that records every frame it receives and can wait for one. */
export class TestClient {
  readonly frames: ServerFrame[] = []
  /** Binary frames received (bridged audio), in order. */
  readonly binary: Uint8Array[] = []
  private waiters: { match: (frame: ServerFrame) => boolean; resolve: (frame: ServerFrame) => void }[] = []
  private closedPromise: Promise<number>

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.binary.push(new Uint8Array(data as Buffer))
        return
      }
      const frame = JSON.parse(data.toString()) as ServerFrame
      this.frames.push(frame)
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(frame)) return true
        waiter.resolve(frame)
        return false
      })
    })
    this.closedPromise = new Promise((resolve) => socket.once('close', (code) => resolve(code)))
  }

  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, options)
    const client = new TestClient(socket)
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client))
      socket.once('error', reject)
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: ${response.statusCode}`)),
      )
    })
  }

  send(frame: ClientFrameInput | Record<string, unknown>): void {
    this.socket.send(JSON.stringify(frame))
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data)
  }

  async hello(deviceId: string): Promise<ServerFrameOf<'welcome'>> {
    this.send({ t: 'hello', v: PROTOCOL_VERSION, deviceId })
    return this.waitFor('welcome')
  }

  /** Waits for the next frame of type `t` (and matching `where`) that has not been seen yet, or one already seen. */
  waitFor<T extends ServerFrame['t']>(
    t: T,
    where: (frame: ServerFrameOf<T>) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<ServerFrameOf<T>> {
    const match = (frame: ServerFrame): boolean => frame.t === t && where(frame as ServerFrameOf<T>)
    const seen = this.frames.find(match)
    if (seen) return Promise.resolve(seen as ServerFrameOf<T>)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${t}`)), timeoutMs)
      this.waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer)
          resolve(frame as ServerFrameOf<T>)
        },
      })
    })
  }

  /** Waits for the next frame of any type that arrives after now. */
  next(timeoutMs = DEFAULT_WAIT_MS): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs)
      this.waiters.push({
        match: () => true,
        resolve: (frame) => {
          clearTimeout(timer)
          resolve(frame)
        },
      })
    })
  }

  /** Opens (or finds) this customer's conversation and returns it once it is known. */
  async openConversation(): Promise<ServerFrameOf<'conversation.opened'>['conversation']> {
    this.send({ t: 'conversation.open' })
    return (await this.waitFor('conversation.opened')).conversation
  }

  /** Sends a text message and waits for its ack. */
  async say(
    conversationId: string,
    body: string,
    cid = `cid-${process.pid}-${nextCid++}`,
  ): Promise<ServerFrameOf<'ack'>> {
    this.send({ t: 'message.send', conversationId, cid, body })
    return this.waitFor('ack', (ack) => ack.cid === cid)
  }

  /** Messages received live, by body, in arrival order. */
  bodies(conversationId: string, kind = 'text'): string[] {
    return this.frames
      .filter((frame): frame is ServerFrameOf<'message.new'> => frame.t === 'message.new')
      .filter((frame) => frame.message.conversationId === conversationId && frame.message.kind === kind)
      .map((frame) => frame.message.body)
  }

  async close(): Promise<void> {
    this.socket.close()
    await this.closedPromise
  }

  /** Resolves with the close code once the socket is closed, by either side. */
  get closed(): Promise<number> {
    return this.closedPromise
  }
}
