import { type ClientFrameInput, PROTOCOL_VERSION, type ServerFrame, type ServerFrameOf } from '@kefu/shared'
import WebSocket from 'ws'

const DEFAULT_WAIT_MS = 5000

interface Waiter {
  match: (frame: ServerFrame) => boolean
  resolve: (frame: ServerFrame) => void
}
let nextCid = 0
let roundTrips = 0

/** A real WebSocket client that records every frame it receives and can wait for one. */
export class TestClient {
  readonly frames: ServerFrame[] = []
  /** Binary frames received (bridged audio), in order. */
  readonly binary: Uint8Array[] = []
  private waiters: Waiter[] = []
  private watchers: ((frame: ServerFrame) => void)[] = []
  /**
   * Per frame type, where the next wait starts looking: just after the frame of that type the last
   * wait took. A frame satisfies one wait once, and a frame older than one a test already waited
   * for cannot pass a later check. (Matching only frames that arrive after the call would race:
   * the awaited frame often comes before the test gets to wait for it.)
   */
  private readonly cursors = new Map<ServerFrame['t'], number>()
  private greeting: ServerFrameOf<'welcome'> | undefined
  private closedPromise: Promise<number>

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.binary.push(new Uint8Array(data as Buffer))
        return
      }
      const frame = JSON.parse(data.toString()) as ServerFrame
      this.frames.push(frame)
      for (const watcher of this.watchers.splice(0)) watcher(frame)
      const taker = this.waiters.findIndex((waiter) => waiter.match(frame))
      if (taker === -1) return
      const [waiter] = this.waiters.splice(taker, 1)
      waiter?.resolve(frame)
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
    this.greeting = await this.waitFor('welcome')
    return this.greeting
  }

  /** The welcome that `hello` was answered with. */
  get welcome(): ServerFrameOf<'welcome'> {
    if (!this.greeting) throw new Error('this client has not said hello')
    return this.greeting
  }

  /**
   * The first frame of type `t` (matching `where`) after the one of that type the previous wait
   * took, received already or still to come; it is taken, so the next wait looks after it.
   */
  waitFor<T extends ServerFrame['t']>(
    t: T,
    where: (frame: ServerFrameOf<T>) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<ServerFrameOf<T>> {
    const match = (frame: ServerFrame): boolean => frame.t === t && where(frame as ServerFrameOf<T>)
    for (let index = this.cursors.get(t) ?? 0; index < this.frames.length; index++) {
      const frame = this.frames[index] as ServerFrame
      if (!match(frame)) continue
      this.cursors.set(t, index + 1)
      return Promise.resolve(frame as ServerFrameOf<T>)
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (frame) => {
          clearTimeout(timer)
          this.cursors.set(t, this.frames.length)
          resolve(frame as ServerFrameOf<T>)
        },
      }
      // A wait that gave up takes nothing any more.
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((pending) => pending !== waiter)
        reject(new Error(`timed out waiting for ${t}`))
      }, timeoutMs)
      this.waiters.push(waiter)
    })
  }

  /** Waits for the next frame of any type that arrives after now; it stays there for `waitFor`. */
  next(timeoutMs = DEFAULT_WAIT_MS): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const watcher = (frame: ServerFrame) => {
        clearTimeout(timer)
        resolve(frame)
      }
      const timer = setTimeout(() => {
        this.watchers = this.watchers.filter((pending) => pending !== watcher)
        reject(new Error('timed out waiting for a frame'))
      }, timeoutMs)
      this.watchers.push(watcher)
    })
  }

  /**
   * A ping answered: whatever the server sent this client before it read the ping has arrived. How
   * a test shows that something did not come, without sleeping: once the server has done the work
   * that could have sent it (the test saw its result elsewhere), a round trip after it is enough.
   */
  async roundTrip(): Promise<void> {
    const at = ++roundTrips
    this.send({ t: 'ping', at })
    await this.waitFor('pong', (pong) => pong.at === at)
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
