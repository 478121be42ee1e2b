import type { Channel } from '../domain/conversation'
import { type ConversationEvent, parseConversationEvent } from '../domain/events'
import { type Message, MessageKind, Role } from '../domain/message'

/** A reopen this soon after a resolution means the first contact did not resolve it. */
export const FCR_WINDOW_MS = 7 * 24 * 3600_000

/** One person's stretch of work on a conversation: from assignment to hand-off or the end. */
export interface HandlingSpan {
  agentId: string
  from: number
  to: number
}

/**
 * What the quality metrics need to know of one conversation, folded from its stored history (the
 * event log: every event is a message of kind `event`, written in the same transaction as what it
 * records). The rules, decided once here so every figure agrees:
 *
 * - **First response** is the first text, image or voice note written by a person with the agent
 *   role. System and event messages never count, nor the assistant's (role `bot`): an automatic greeting is not
 *   a response. It is credited to whoever wrote it, not to whoever was assigned first: after a
 *   transfer before any reply, the second agent's first reply is the first response, and theirs.
 * - **Its clock** starts at the customer's first message (a conversation opened and never written
 *   in has no response time), and a reopen does not restart it: the reopened part is the same
 *   contact's second chance, measured by FCR, not a new first response.
 * - **Waiting** (ASA) runs from the first time the conversation is queued to its first assignment.
 * - **Handling** (AHT) is the sum of each agent's spans from assignment to transfer, requeue,
 *   resolution or abandonment; a voice call inside a span is part of it, not added on top.
 * - **Resolution** (TTR) runs from creation to the last resolution; **FCR** holds when it was
 *   resolved and never reopened within 7 days of a resolution (a reopen on day 8 is a new need).
 * - **Abandoned in queue**: the customer left before anyone was assigned.
 * - **CSAT** is the customer's one rating of the conversation (the first stands; asked again
 *   nowhere); **AI containment** holds when it was resolved without any agent assigned, so the bot
 *   (or the customer's own self-service) closed it.
 * - **Windows**: a conversation's figures belong to the time it was created (the contact), so a
 *   day's figures do not change shape with when someone happens to look.
 */
export interface ConversationFacts {
  conversationId: string
  channel: Channel | undefined
  /** The team the conversation was last queued for. */
  teamId: string | undefined
  createdAt: number
  firstCustomerMessageAt: number | undefined
  firstQueuedAt: number | undefined
  firstAssignedAt: number | undefined
  firstResponse: { at: number; agentId: string } | undefined
  transfers: number
  handling: HandlingSpan[]
  resolvedAt: number | undefined
  /** Resolved, and not reopened within `FCR_WINDOW_MS` of any resolution. */
  firstContactResolved: boolean
  abandonedInQueue: boolean
  hadVoice: boolean
  /** The customer stepped into the 3D hall during it. */
  hadHall: boolean
  /** The customer's rating, 1 to 5, if they gave one. */
  rating: number | undefined
  /** Experiment id -> the variant this conversation's customer met. */
  variants: Record<string, string>
}

const SENT_BY_PEOPLE: ReadonlySet<string> = new Set([
  MessageKind.Text,
  MessageKind.Image,
  MessageKind.VoiceNote,
])

/**
 * The facts of one conversation, folded message by message as its history grows: the live
 * figures add each message as it is written, a recompute adds a whole stored history, and both
 * end with the same facts because they are the same fold.
 */
export class ConversationFold {
  readonly facts: ConversationFacts
  private working: { agentId: string; from: number } | undefined
  private lastResolvedAt: number | undefined
  private reopenedSoon = false

  constructor(first: Pick<Message, 'conversationId' | 'createdAt'>) {
    this.facts = {
      conversationId: first.conversationId,
      channel: undefined,
      teamId: undefined,
      createdAt: first.createdAt,
      firstCustomerMessageAt: undefined,
      firstQueuedAt: undefined,
      firstAssignedAt: undefined,
      firstResponse: undefined,
      transfers: 0,
      handling: [],
      resolvedAt: undefined,
      firstContactResolved: false,
      abandonedInQueue: false,
      hadVoice: false,
      hadHall: false,
      rating: undefined,
      variants: {},
    }
  }

  /**
   * Adds the next message (in `seq` order); false when it changed none of the facts. `known` is the
   * event an event message records, when the caller has it as written.
   */
  add(message: Message, known?: ConversationEvent): boolean {
    const facts = this.facts
    const at = message.createdAt
    if (message.kind !== MessageKind.Event) {
      if (!SENT_BY_PEOPLE.has(message.kind)) return false
      if (message.authorRole === Role.Customer && facts.firstCustomerMessageAt === undefined) {
        facts.firstCustomerMessageAt = at
        return true
      }
      const responds =
        message.authorRole === Role.Agent &&
        facts.firstCustomerMessageAt !== undefined &&
        facts.firstResponse === undefined
      if (responds) facts.firstResponse = { at, agentId: message.authorId }
      return responds
    }
    const event = known ?? parseConversationEvent(message.body)
    switch (event?.event) {
      case 'created':
        facts.channel = event.channel
        break
      case 'bot.engaged':
        facts.teamId = event.teamId
        break
      case 'queued':
        facts.teamId = event.teamId
        facts.firstQueuedAt ??= at
        break
      case 'assigned':
        this.handOff(at)
        facts.firstAssignedAt ??= at
        this.working = { agentId: event.agentId, from: at }
        break
      case 'transferred':
        facts.transfers++
        this.handOff(at)
        if (event.toAgentId) this.working = { agentId: event.toAgentId, from: at }
        if (event.toTeamId) facts.teamId = event.toTeamId
        break
      case 'requeued':
        this.handOff(at)
        break
      case 'resolved':
        this.handOff(at)
        facts.resolvedAt = at
        this.lastResolvedAt = at
        break
      case 'abandoned':
        if (facts.firstAssignedAt === undefined) facts.abandonedInQueue = true
        this.handOff(at)
        break
      case 'reopened':
        if (this.lastResolvedAt !== undefined && at - this.lastResolvedAt <= FCR_WINDOW_MS)
          this.reopenedSoon = true
        facts.resolvedAt = undefined
        break
      case 'rated':
        facts.rating ??= event.score
        break
      case 'experiment':
        facts.variants[event.experimentId] ??= event.variant
        break
      case 'voice.requested':
      case 'voice.joined':
        if (facts.hadVoice) return false
        facts.hadVoice = true
        break
      case 'hall.entered':
        if (facts.hadHall) return false
        facts.hadHall = true
        break
      default:
        return false
    }
    facts.firstContactResolved = facts.resolvedAt !== undefined && !this.reopenedSoon
    return true
  }

  private handOff(at: number): void {
    const working = this.working
    if (working) this.facts.handling.push({ agentId: working.agentId, from: working.from, to: at })
    this.working = undefined
  }
}

/** Folds one conversation's whole history, in `seq` order. */
export function conversationFacts(history: readonly Message[]): ConversationFacts | undefined {
  const first = history[0]
  if (!first) return undefined
  const fold = new ConversationFold(first)
  for (const message of history) fold.add(message)
  return fold.facts
}
