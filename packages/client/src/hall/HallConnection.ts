import {
  decodePose,
  decodeShowcase,
  encodePose,
  encodeShowcase,
  hallRoleOf,
  POSE_KEEPALIVE_MS,
  POSE_TOPIC,
  PoseSchedule,
  SHOWCASE_TOPIC,
  type ShowcaseState,
} from '@kefu/shared'
import type { Participant, Room } from 'livekit-client'
import { isLostByServer, MAX_REJOINS, RESUME_ON_THE_SAME_NODE } from '../call/roomRecovery'
import type { HallStore } from '../core/hallStore'

// A newcomer can receive data only once its connection to the room is up, a moment after LiveKit
// announces it: the pose for it is sent again after these delays.
const GREETING_DELAYS_MS = [250, 1000]

/** A hall seat as the server hands it out. */
export type FetchHallToken = () => Promise<{ url: string; token: string; room: string }>

/**
 * One person's presence in a hall shard: joins its LiveKit room (data only, no microphone),
 * sends the own avatar's pose as lossy data when it moved (at most 15 times a second), and puts
 * everyone else's poses, names and roles into the hall store.
 */
export class HallConnection {
  private room: Room | undefined
  private readonly schedule = new PoseSchedule()
  private seq = 0
  /** Poses sent and received, and send failures: what the hall's debug view shows. */
  readonly stats = { sent: 0, received: 0, failedSends: 0, lastError: '' }
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private presenting: { state: ShowcaseState; audience: readonly string[] } | undefined
  /** Whose showcase packets this client believes: its conversation's agent. */
  trustedPresenter: string | undefined
  private keepalive: ReturnType<typeof setInterval> | undefined
  /** Joins since the hall was last entered that LiveKit's side ended. */
  private rejoins = 0

  constructor(
    private readonly store: HallStore,
    private readonly fetchToken: FetchHallToken,
  ) {}

  /** The shard's room name once joined. */
  get roomName(): string | undefined {
    return this.room?.state === 'connected' ? this.room.name : undefined
  }

  async join(): Promise<void> {
    const { Room, RoomEvent, DisconnectReason } = await import('livekit-client')
    const room = new Room({ reconnectPolicy: RESUME_ON_THE_SAME_NODE })
    this.room = room
    room
      .on(RoomEvent.ParticipantConnected, (participant) => {
        this.meet(participant)
        // A late joiner sees everyone at once: each sends its pose again, reliably.
        for (const delay of GREETING_DELAYS_MS) this.later(delay, () => void this.sendPose(true))
        // A customer who arrives late sees what their agent is presenting.
        if (this.presenting?.audience.includes(participant.identity))
          for (const delay of GREETING_DELAYS_MS) this.later(delay, () => void this.sendShowcase())
      })
      .on(RoomEvent.ParticipantDisconnected, (participant) => this.store.removeRemote(participant.identity))
      .on(RoomEvent.ParticipantMetadataChanged, (_metadata, participant) => this.meet(participant))
      .on(RoomEvent.Disconnected, (reason) => {
        this.stats.lastError = `disconnected: ${reason}`
        if (this.room !== room || !isLostByServer(reason, DisconnectReason) || this.rejoins >= MAX_REJOINS)
          return
        this.rejoins++
        void this.rejoin()
      })
      .on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
        if (topic === SHOWCASE_TOPIC && participant)
          return this.receiveShowcase(participant.identity, payload)
        if (topic !== POSE_TOPIC || !participant) return
        // A pose always belongs to whoever sent the packet; a packet that is no pose is dropped.
        this.stats.received++
        const pose = decodePose(payload)
        if (pose.ok) this.store.receivePose(participant.identity, pose.value, performance.now())
        else this.store.countBadPose()
      })
    const { url, token } = await this.fetchToken()
    await room.connect(url, token)
    if (this.room !== room) return
    this.rejoins = 0
    for (const participant of room.remoteParticipants.values()) this.meet(participant)
    await this.sendPose(true)
    // A timer, not the frame loop, for the keepalive: a hidden tab draws no frames.
    this.keepalive = setInterval(() => {
      if (this.schedule.isKeepaliveDue(performance.now())) void this.sendPose(false)
    }, POSE_KEEPALIVE_MS)
  }

  /** Called every frame; sends the own pose when it changed enough and the rate allows. */
  tick(now: number): void {
    if (this.room?.state !== 'connected') return
    if (this.schedule.isDue(this.store.getState().self, now)) void this.sendPose(false, now)
  }

  /**
   * Back into the hall once its LiveKit node went away: everyone seen in the lost room is let go
   * (the new room names who is still there), and the shard is joined with a new seat's token.
   */
  private async rejoin(): Promise<void> {
    await this.leave()
    for (const identity of [...this.store.getState().remotes.keys()]) this.store.removeRemote(identity)
    await this.join().catch((error: unknown) => {
      this.stats.lastError = error instanceof Error ? error.message : String(error)
    })
  }

  async leave(): Promise<void> {
    const room = this.room
    this.room = undefined
    clearInterval(this.keepalive)
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await room?.disconnect()
  }

  private async sendPose(reliable: boolean, now = performance.now()): Promise<void> {
    const room = this.room
    // NOTE: data published before the room is connected fails, and livekit-client then keeps that
    // failed publisher connection: every later send would fail too.
    if (room?.state !== 'connected') return
    const pose = { ...this.store.getState().self, seq: ++this.seq }
    this.schedule.markSent(pose, now)
    this.stats.sent++
    await room.localParticipant
      .publishData(encodePose(pose), { reliable, topic: POSE_TOPIC })
      .catch((error: unknown) => {
        // A pose lost on a closing room is replaced by the next one; counted for the debug view.
        this.stats.failedSends++
        this.stats.lastError = String(error)
      })
  }

  /** An agent shows `state` to `audience` (their conversation's customer), now and to late arrivals. */
  present(state: ShowcaseState, audience: readonly string[]): void {
    this.presenting = { state, audience }
    this.store.setState({ showcase: state })
    void this.sendShowcase()
  }

  private async sendShowcase(): Promise<void> {
    const room = this.room
    const presenting = this.presenting
    if (room?.state !== 'connected' || !presenting) return
    await room.localParticipant
      .publishData(encodeShowcase(presenting.state), {
        reliable: true,
        topic: SHOWCASE_TOPIC,
        destinationIdentities: [...presenting.audience],
      })
      .catch((error: unknown) => {
        this.stats.failedSends++
        this.stats.lastError = String(error)
      })
  }

  // Anyone in the hall may send data: only the conversation's own agent decides its showcase.
  private receiveShowcase(from: string, payload: Uint8Array): void {
    if (from !== this.trustedPresenter) return
    const state = decodeShowcase(payload)
    if (state.ok) this.store.setState({ showcase: state.value })
  }

  private later(delayMs: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      work()
    }, delayMs)
    this.timers.add(timer)
  }

  private meet(participant: Participant): void {
    this.store.addRemote(
      participant.identity,
      participant.name || participant.identity,
      hallRoleOf(participant.metadata),
    )
  }
}
