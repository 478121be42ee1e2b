import type { ConversationEvent } from '../domain/events'
import type { Message } from '../domain/message'
import { type ConversationFacts, ConversationFold } from './conversationFacts'
import { addInto, emptyFigures, figuresOf, type QualityFigures } from './qualityFigures'

/** Five-minute buckets: the shortest window a dashboard shows, and a sparkline's step. */
export const BUCKET_MS = 5 * 60_000

/**
 * Which conversations a figure is about: all of them, one team's, one channel's (`voice` for those
 * with a call, `hall` for those whose customer stepped into the 3D hall), one agent's own work, or one agent's own work in one team. Written `all`,
 * `team:<id>`, `channel:<name>`, `agent:<id>`, `teamAgent:<team>:<agent>`.
 */
export type SliceKey =
  | 'all'
  | `team:${string}`
  | `channel:${string}`
  | `agent:${string}`
  | `teamAgent:${string}:${string}`

interface Bucket {
  figures: QualityFigures
  conversations: number
}

export interface LedgerOptions {
  /** The service-level target of a team (its answer target), in ms. */
  serviceTargetMs(teamId: string | undefined): number
}

interface Entry {
  fold: ConversationFold
  bucket: number
  /** What this conversation adds to each slice now: taken out and put back on every change. */
  contributions: [SliceKey, QualityFigures][]
}

/**
 * The quality figures kept up to date message by message, per slice and five-minute bucket of
 * creation time. Each conversation's facts are the same fold a recompute runs over its stored
 * history; on a change its old contribution is taken out of its buckets and the new one put in,
 * so the tallies always equal a recompute of everything recorded (the property test holds it).
 */
export class QualityLedger {
  private readonly entries = new Map<string, Entry>()
  private readonly buckets = new Map<SliceKey, Map<number, Bucket>>()

  constructor(private readonly options: LedgerOptions) {}

  /**
   * Adds one stored message. A conversation's first message (`seq` 1) starts it; a later message
   * of a conversation this ledger never saw begin is older than what it keeps, and is ignored. The
   * writer passes the event an event message records, which spares reading it back from the body.
   * True when the message changed what the ledger holds: only such messages move any figure.
   */
  record(message: Message, event?: ConversationEvent): boolean {
    let entry = this.entries.get(message.conversationId)
    if (!entry) {
      if (message.seq !== 1) return false
      entry = {
        fold: new ConversationFold(message),
        bucket: bucketOf(message.createdAt),
        contributions: [],
      }
      this.entries.set(message.conversationId, entry)
    }
    if (!entry.fold.add(message, event)) return message.seq === 1
    this.apply(entry, -1)
    entry.contributions = this.contributionsOf(entry.fold.facts)
    this.apply(entry, 1)
    return true
  }

  /** The figures of a slice's conversations created in [from, to), both rounded down to buckets. */
  figures(slice: SliceKey, from: number, to: number): QualityFigures {
    const total = emptyFigures()
    const bySlice = this.buckets.get(slice)
    if (!bySlice) return total
    for (let bucket = bucketOf(from); bucket < to; bucket += BUCKET_MS) {
      const found = bySlice.get(bucket)
      if (found) addInto(total, found.figures)
    }
    return total
  }

  /** How many conversations of a slice were created in [from, to), rounded down to buckets. */
  count(slice: SliceKey, from: number, to: number): number {
    let total = 0
    const bySlice = this.buckets.get(slice)
    if (!bySlice) return total
    for (let bucket = bucketOf(from); bucket < to; bucket += BUCKET_MS)
      total += bySlice.get(bucket)?.conversations ?? 0
    return total
  }

  /** The figures of each step of [from, to), for a time series or a sparkline. */
  series(slice: SliceKey, from: number, to: number, stepMs: number): QualityFigures[] {
    const step = Math.max(BUCKET_MS, Math.round(stepMs / BUCKET_MS) * BUCKET_MS)
    const points: QualityFigures[] = []
    for (let at = bucketOf(from); at < to; at += step) points.push(this.figures(slice, at, at + step))
    return points
  }

  /** Every slice starting with `prefix` (`agent:`, `teamAgent:general:`) with conversations in [from, to). */
  slicesOf(prefix: string, from: number, to: number): SliceKey[] {
    const found: SliceKey[] = []
    for (const slice of this.buckets.keys())
      if (slice.startsWith(prefix) && this.count(slice, from, to) > 0) found.push(slice)
    return found
  }

  /** How many conversations it keeps. */
  get size(): number {
    return this.entries.size
  }

  /** Forgets conversations created before `before` (their figures are then recomputed on demand). */
  forget(before: number): void {
    for (const [id, entry] of this.entries)
      if (entry.fold.facts.createdAt < before) {
        this.apply(entry, -1)
        this.entries.delete(id)
      }
    for (const bySlice of this.buckets.values())
      for (const bucket of bySlice.keys()) if (bucket < bucketOf(before)) bySlice.delete(bucket)
  }

  private contributionsOf(facts: ConversationFacts): [SliceKey, QualityFigures][] {
    const target = this.options.serviceTargetMs(facts.teamId)
    const whole = figuresOf(facts, target)
    const contributions: [SliceKey, QualityFigures][] = [['all', whole]]
    if (facts.teamId !== undefined) contributions.push([`team:${facts.teamId}`, whole])
    if (facts.channel !== undefined) contributions.push([`channel:${facts.channel}`, whole])
    if (facts.hadVoice) contributions.push(['channel:voice', whole])
    if (facts.hadHall) contributions.push(['channel:hall', whole])
    const agents = new Set(facts.handling.map((span) => span.agentId))
    if (facts.firstResponse) agents.add(facts.firstResponse.agentId)
    for (const agentId of agents) {
      const own = figuresOf(facts, target, { agentId })
      contributions.push([`agent:${agentId}`, own])
      if (facts.teamId !== undefined) contributions.push([`teamAgent:${facts.teamId}:${agentId}`, own])
    }
    return contributions
  }

  private apply(entry: Entry, sign: 1 | -1): void {
    for (const [slice, figures] of entry.contributions) {
      let bySlice = this.buckets.get(slice)
      if (!bySlice) {
        bySlice = new Map()
        this.buckets.set(slice, bySlice)
      }
      let bucket = bySlice.get(entry.bucket)
      if (!bucket) {
        bucket = { figures: emptyFigures(), conversations: 0 }
        bySlice.set(entry.bucket, bucket)
      }
      addInto(bucket.figures, figures, sign)
      bucket.conversations += sign
    }
  }
}

function bucketOf(at: number): number {
  return Math.floor(at / BUCKET_MS) * BUCKET_MS
}
