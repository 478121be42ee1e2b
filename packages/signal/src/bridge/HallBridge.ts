import {
  decodePoseUp,
  decodeShowcase,
  encodePose,
  encodePoseDown,
  hallRoleOf,
  type Logger,
  POSE_TOPIC,
  type ServerFrame,
  SHOWCASE_TOPIC,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { HallSeat } from '../hall/hallSeats'
import { RoomBot, type RoomPerson } from '../livekit/RoomBot'

/**
 * A mini-program's seat in the 3D hall, taken by the server for it: the mini-program has no
 * WebRTC, so the server joins the shard's room under the person's own identity (a browser in the
 * hall sees them as anyone else, and their poses belong to them as LiveKit stamps the sender),
 * publishes the poses the socket sends up, and sends everyone else's down as binary frames with
 * who they are, plus the roster as it changes.
 */
export class HallBridge {
  private readonly bot = new RoomBot()
  private readonly cancels: (() => void)[] = []
  private closed = false

  constructor(
    private readonly send: (frame: ServerFrame) => void,
    private readonly sendBinary: (bytes: Uint8Array) => void,
    private readonly logger: Logger,
  ) {}

  async join(seat: HallSeat, session: Session): Promise<void> {
    await this.bot.join(seat.url, seat.token, { autoSubscribe: false })
    this.send({ t: 'hall.joined', room: seat.room, shard: seat.shard })
    this.cancels.push(
      this.bot.onPeople((people) => this.send({ t: 'hall.roster', people: people.map(toRosterEntry) })),
      this.bot.onData(({ identity, topic, payload }) => {
        // Named by LiveKit's stamp of the sender, never by the packet.
        if (!identity || identity === session.userId) return
        if (topic === POSE_TOPIC) this.sendBinary(encodePoseDown(identity, payload))
        else if (topic === SHOWCASE_TOPIC) this.relayShowcase(identity, payload)
      }),
    )
  }

  /** A binary pose frame from the socket; a malformed one is the caller's `bad_frame`. */
  handleUp(bytes: Uint8Array): ReturnType<typeof decodePoseUp> {
    const pose = decodePoseUp(bytes)
    if (pose.ok && !this.closed)
      this.bot.sendData(encodePose(pose.value), POSE_TOPIC, { reliable: false }).catch((error: unknown) => {
        this.logger.debug({ err: error }, 'a relayed pose was lost')
      })
    return pose
  }

  // Showcase packets reach this seat only when addressed to it; a malformed one is dropped.
  private relayShowcase(from: string, payload: Uint8Array): void {
    const state = decodeShowcase(payload)
    if (state.ok) this.send({ t: 'hall.showcase', from, state: state.value })
    else this.logger.debug({ from }, 'a malformed showcase packet was dropped')
  }

  /** Resolves when LiveKit ends the seat (the room closed, the participant was removed). */
  ended(): Promise<void> {
    return this.bot.disconnected()
  }

  async leave(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const cancel of this.cancels.splice(0)) cancel()
    await this.bot.leave()
  }
}

function toRosterEntry(person: RoomPerson) {
  return {
    identity: person.identity,
    name: person.name.slice(0, 200) || person.identity,
    role: hallRoleOf(person.metadata),
  }
}
