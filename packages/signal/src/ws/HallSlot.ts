import { ErrorCode, KefuError, MAX_POSE_HZ, TokenBucket } from '@kefu/shared'
import { HallBridge } from '../bridge/HallBridge'
import { seatInHall } from '../hall/hallSeats'
import type { ConnectionContext } from './ConnectionContext'

/**
 * A connection's place in the 3D hall, for clients the server seats there itself, and its watch
 * of the hall's state (desks, queues).
 */
export class HallSlot {
  private hall: HallBridge | undefined
  private unwatch: (() => void) | undefined
  // Poses come at up to 15 Hz; a sender beyond this is dropped, not answered (it would be answered 15 times a second).
  private readonly poseLimiter: TokenBucket

  constructor(private readonly ctx: ConnectionContext) {
    this.poseLimiter = new TokenBucket(MAX_POSE_HZ * 2, MAX_POSE_HZ * 2, ctx.deps.clock.now())
  }

  async join(): Promise<void> {
    const { deps, session } = this.ctx
    const livekit = deps.livekit
    if (!livekit) throw new KefuError(ErrorCode.VoiceUnavailable, 'The 3D hall needs the voice service')
    await this.leave('requested')
    const seat = await seatInHall(
      { repo: deps.repo, seats: deps.hallSeats, livekit, visits: deps.hallVisits },
      session,
    )
    const hall = new HallBridge(
      (frame) => this.ctx.send(frame),
      (bytes) => this.ctx.sendBinary(bytes),
      deps.logger,
    )
    try {
      await hall.join(seat, session)
    } catch (error) {
      await hall.leave()
      throw error
    }
    if (this.ctx.isClosed()) return void hall.leave()
    this.hall = hall
    void hall.ended().then(() => {
      if (this.hall === hall) void this.leave('room_closed')
    })
  }

  async leave(reason: 'requested' | 'room_closed'): Promise<void> {
    const hall = this.hall
    this.hall = undefined
    if (!hall) return
    await hall.leave()
    this.ctx.send({ t: 'hall.left', reason })
  }

  /** A pose from the client; returns the refusal, if any. Poses beyond the rate are dropped unanswered. */
  handlePose(data: Uint8Array): KefuError | undefined {
    if (!this.hall) return new KefuError(ErrorCode.UnsupportedFrame, 'Join the hall before sending poses')
    if (!this.poseLimiter.tryTake(this.ctx.deps.clock.now())) return undefined
    const pose = this.hall.handleUp(data)
    return pose.ok ? undefined : pose.error
  }

  watch(): void {
    this.unwatch ??= this.ctx.deps.hallFeed.watch((state) => this.ctx.send({ t: 'hall.state', state }))
  }

  stopWatching(): void {
    this.unwatch?.()
    this.unwatch = undefined
  }

  close(): void {
    void this.hall?.leave()
    this.hall = undefined
    this.stopWatching()
  }
}
