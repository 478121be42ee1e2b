import type { Message } from '../domain/index'
import type { ErrorCode } from '../errors'
import type { ClientMessageId } from '../ids'

/** Why the server refused a message: its stable error code and what it said. */
export interface SendFailure {
  readonly code: ErrorCode
  readonly message: string
}

/**
 * A message typed on this device that the server has not acknowledged yet. One with a `failure`
 * was refused: it stays visible but is not resent until the person retries it.
 */
export type PendingMessage = Omit<Message, 'seq'> & {
  readonly seq: null
  readonly failure?: SendFailure | undefined
}

/** A message as a device shows it: confirmed ones carry `seq`, pending ones do not yet. */
export type LocalMessage = Message | PendingMessage

/** What merging a batch changed. */
export interface MergeOutcome {
  /** Messages not seen before (by `cid`); duplicates are dropped. */
  readonly added: number
  /** Set when a hole lies before some received message: ask the server for everything after it. */
  readonly gapAfterSeq: number | null
}

/**
 * One conversation as a device knows it. The wire may deliver a message twice, out of order or
 * after the device's own echo; the log shows each message exactly once, in `seq` order.
 */
export class ConversationLog {
  private readonly confirmed = new Map<number, Message>()
  private readonly seqByCid = new Map<ClientMessageId, number>()
  private readonly pending = new Map<ClientMessageId, PendingMessage>()
  private contiguousSeq: number
  private highestSeq: number
  private floorSeq: number

  /** `fromSeq` is the cursor the device starts from: everything up to it is known or not wanted. */
  constructor(fromSeq = 0) {
    this.contiguousSeq = fromSeq
    this.highestSeq = fromSeq
    this.floorSeq = fromSeq
  }

  /** True while older messages exist that this device has not loaded (history paging). */
  get hasOlder(): boolean {
    return this.floorSeq > 0
  }

  /** The seq to page back from: everything below it is not loaded yet. */
  get oldestLoadedSeq(): number {
    return this.floorSeq + 1
  }

  /** Adds a page of older history (seq at or below the floor), e.g. from the paged history API. */
  mergeOlder(messages: readonly Message[]): number {
    let added = 0
    for (const message of messages) {
      if (message.seq > this.floorSeq || this.seqByCid.has(message.cid)) continue
      this.confirmed.set(message.seq, message)
      this.seqByCid.set(message.cid, message.seq)
      added++
    }
    const oldest = messages.reduce((min, message) => Math.min(min, message.seq), this.floorSeq + 1)
    this.floorSeq = Math.max(0, Math.min(this.floorSeq, oldest - 1))
    return added
  }

  /** The resume cursor: every message up to here is in the log. */
  get cursor(): number {
    return this.contiguousSeq
  }

  /** Shows a message the person just typed, before the server has it. */
  addPending(message: PendingMessage): void {
    if (this.seqByCid.has(message.cid)) return
    this.pending.set(message.cid, message)
  }

  /** Marks a pending message as stored at `seq`. */
  applyAck(cid: ClientMessageId, seq: number, createdAt: number): MergeOutcome {
    const local = this.pending.get(cid)
    if (!local) return { added: 0, gapAfterSeq: this.gap() }
    return this.merge([{ ...local, seq, createdAt }])
  }

  /** Merges messages from the server (a live push or a sync batch). */
  merge(messages: readonly Message[]): MergeOutcome {
    let added = 0
    for (const message of messages) {
      if (this.seqByCid.has(message.cid) || this.confirmed.has(message.seq)) continue
      // A message older than the cursor is already accounted for (or deliberately not kept).
      if (message.seq <= this.contiguousSeq && this.confirmed.size > 0) continue
      const wasPending = this.pending.delete(message.cid)
      this.confirmed.set(message.seq, message)
      this.seqByCid.set(message.cid, message.seq)
      this.highestSeq = Math.max(this.highestSeq, message.seq)
      if (!wasPending) added++
    }
    while (this.confirmed.has(this.contiguousSeq + 1)) this.contiguousSeq++
    return { added, gapAfterSeq: this.gap() }
  }

  /** Messages typed here, not acknowledged and not refused, oldest first: what to (re)send. */
  unacknowledged(): PendingMessage[] {
    return [...this.pending.values()].filter((message) => !message.failure)
  }

  /** Everything typed here and not stored, refused ones included: what a device keeps across restarts. */
  outbox(): PendingMessage[] {
    return [...this.pending.values()]
  }

  /** The server refused this message: keep it for the person to retry or discard, never resend it alone. */
  fail(cid: ClientMessageId, failure: SendFailure): boolean {
    const local = this.pending.get(cid)
    if (!local) return false
    this.pending.set(cid, { ...local, failure })
    return true
  }

  /** A refused message goes back into the outbox; returns it to send, or undefined if unknown. */
  retry(cid: ClientMessageId): PendingMessage | undefined {
    const local = this.pending.get(cid)
    if (!local?.failure) return undefined
    const { failure: _refused, ...again } = local
    this.pending.set(cid, again)
    return again
  }

  /** Forgets a message that was never stored; false when there is no such unsent message. */
  discard(cid: ClientMessageId): boolean {
    return this.pending.delete(cid)
  }

  /** Everything to show: confirmed in `seq` order, then pending in the order typed. */
  messages(): LocalMessage[] {
    const confirmed = [...this.confirmed.values()].sort((a, b) => a.seq - b.seq)
    return [...confirmed, ...this.pending.values()]
  }

  private gap(): number | null {
    return this.highestSeq > this.contiguousSeq ? this.contiguousSeq : null
  }
}
