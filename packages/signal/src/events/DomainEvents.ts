import type {
  Conversation,
  ConversationEvent,
  EmotionReading,
  Logger,
  Message,
  ServerFrameOf,
  UserId,
} from '@kefu/shared'

/** A lifecycle frame: every server frame that carries the conversation as it now is. */
export type ConversationFrame = ServerFrameOf<
  | 'conversation.opened'
  | 'conversation.queued'
  | 'conversation.assigned'
  | 'conversation.transferred'
  | 'conversation.resolved'
  | 'conversation.reopened'
  | 'conversation.abandoned'
  | 'conversation.updated'
>

/**
 * What happened inside the chat core, for whoever needs to react: fan-out, outbound channels, the
 * voice relay, metrics (and next the bot, emotion, the event log, the hall). Producers publish
 * facts; they do not know who listens.
 */
export interface DomainEventMap {
  /** A message (a person's or a system event) is stored, for the first time, under its `seq`. */
  'message.stored': {
    conversation: Conversation
    message: Message
    /** The connection that sent it, which gets an ack instead of the message. */
    origin?: string | undefined
    /** How a customer's text reads, read once here for everyone who acts on it; else undefined. */
    emotion: EmotionReading | undefined
    /** What an event message records, as the writer wrote it: its readers need not parse the body. */
    event?: ConversationEvent | undefined
  }
  /** A conversation changed state, team, agent or room. */
  'conversation.changed': {
    conversation: Conversation
    frame: ConversationFrame
    /** People told besides its participants and team (a former agent). */
    alsoTo?: readonly UserId[] | undefined
    /** The team it left, when it left one, so that team's lists drop it. */
    formerTeamId?: string | undefined
  }
}

export type DomainEventName = keyof DomainEventMap
type Handler<E extends DomainEventName> = (event: DomainEventMap[E]) => unknown

/**
 * The in-process domain event hub. Handlers run in the order they subscribed and are awaited one
 * after the other, so a producer that awaits `publish` knows every reaction is done (a message is
 * queued for offline recipients before its sender's ack). A failing handler is logged and does not
 * stop the others: a relay that cannot reach LiveKit must not undo a stored message.
 */
export class DomainEvents {
  private readonly handlers: { [E in DomainEventName]: Handler<E>[] } = {
    'message.stored': [],
    'conversation.changed': [],
  }

  constructor(private readonly logger: Logger) {}

  /** Returns the unsubscribe function. */
  subscribe<E extends DomainEventName>(name: E, handler: Handler<E>): () => void {
    const list = this.handlers[name] as Handler<E>[]
    list.push(handler)
    return () => {
      const index = list.indexOf(handler)
      if (index >= 0) list.splice(index, 1)
    }
  }

  async publish<E extends DomainEventName>(name: E, event: DomainEventMap[E]): Promise<void> {
    for (const handler of this.handlers[name] as Handler<E>[]) {
      try {
        // Only an async handler is awaited: a hop through the microtask queue per handler would
        // add up on the message path.
        const pending = handler(event)
        if (pending instanceof Promise) await pending
      } catch (error) {
        this.logger.error({ err: error, event: name }, 'a domain event handler failed')
      }
    }
  }
}
