import {
  type Cancel,
  type ChatSession,
  decodePoseDown,
  encodePoseUp,
  PoseFrameKind,
  PoseSchedule,
  type ServerFrameOf,
} from '@kefu/shared'
import type { HallStore } from './hallStore'

/**
 * The hall for a client without WebRTC (a mini-program), through its chat socket: the server
 * seats it in a shard and relays poses both ways (`hall.join`, binary pose frames). Everyone else
 * goes into the hall store exactly as the browser's LiveKit connection puts them there, so the
 * same scene draws both. Rejoins after the socket reconnects.
 */
export class SocketHall {
  private readonly schedule = new PoseSchedule()
  private readonly cancels: Cancel[] = []
  private seq = 0
  private wanted = false
  /** The shard's room once the server is in it. */
  room: string | undefined

  constructor(
    private readonly session: ChatSession,
    private readonly store: HallStore,
  ) {}

  join(): void {
    if (this.wanted) return
    this.wanted = true
    this.cancels.push(
      this.session.onFrame((frame) => {
        if (frame.t === 'welcome') this.room = undefined
        if (frame.t === 'welcome' && this.wanted) this.session.sendFrame({ t: 'hall.join' })
        else if (frame.t === 'hall.joined') this.room = frame.room
        else if (frame.t === 'hall.left') this.room = undefined
        else if (frame.t === 'hall.roster') this.meet(frame.people)
      }),
      this.session.onBinary((bytes) => {
        if (bytes[0] !== PoseFrameKind.Down) return
        const relayed = decodePoseDown(bytes)
        if (relayed.ok) this.store.receivePose(relayed.value.identity, relayed.value.pose, this.now())
        else this.store.countBadPose()
      }),
    )
    this.session.sendFrame({ t: 'hall.join' })
  }

  /** Called every frame; sends the own pose when it changed enough and the rate allows. */
  tick(now = this.now()): void {
    if (!this.room) return
    const self = this.store.getState().self
    if (!this.schedule.isDue(self, now)) return
    const pose = { ...self, seq: ++this.seq }
    if (this.session.sendBinary(encodePoseUp(pose))) this.schedule.markSent(pose, now)
  }

  leave(): void {
    if (!this.wanted) return
    this.wanted = false
    this.room = undefined
    for (const cancel of this.cancels.splice(0)) cancel()
    this.session.sendFrame({ t: 'hall.leave' })
  }

  private meet(people: ServerFrameOf<'hall.roster'>['people']): void {
    const present = new Set(people.map((person) => person.identity))
    for (const identity of [...this.store.getState().remotes.keys()])
      if (!present.has(identity)) this.store.removeRemote(identity)
    for (const person of people) this.store.addRemote(person.identity, person.name, person.role)
  }

  // Poses are sampled on the same clock they are stamped with.
  private now(): number {
    return Date.now()
  }
}
