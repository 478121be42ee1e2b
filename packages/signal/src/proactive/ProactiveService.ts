import {
  asUserId,
  type BehaviourEvent,
  BOT_PHRASES,
  type Clock,
  type Conversation,
  type KnowledgeLang,
  type Logger,
  languageOf,
  type ProactiveRule,
  rulesFiredBy,
  serviceDay,
  type UserId,
} from '@kefu/shared'
import type { Conversations } from '../chat/Conversations'
import type { HistoryProjection } from '../chat/HistoryProjection'
import type { Lifecycle } from '../chat/Lifecycle'
import type { MessageWriter } from '../chat/MessageWriter'
import type { Repository } from '../store/Repository'

/** A day: no rule looks further back, and the store keeps no more. */
export const BEHAVIOUR_WINDOW_MS = 24 * 60 * 60 * 1000
/** A shopper posting far more than this in a day is a bot or a loop; the oldest are forgotten. */
const KEPT_PER_CUSTOMER = 200

export interface ProactiveDeps {
  repo: Repository
  lifecycle: Pick<Lifecycle, 'openForOffer'>
  conversations: Conversations
  writer: MessageWriter
  history: HistoryProjection
  rules: readonly ProactiveRule[]
  clock: Clock
  logger: Logger
}

/** What came of one post of behaviour events. */
export interface ReceivedEvents {
  /** Events taken (a retried event, by its id, is not taken twice; one over a day old is not taken). */
  accepted: number
  /** Offers of help made now, at most one per rule, customer and day. */
  offered: { customerId: UserId; ruleId: string; conversationId: string }[]
}

/**
 * Help before the customer asks: the shop posts what its customers do, the rules watch each
 * customer's last day of it, and a rule that holds offers help in the customer's chat (their open
 * conversation, or a new one the assistant holds), once per rule, customer and service day. The
 * events and the once-a-day record are stored, so a restart keeps each customer's window and events
 * posted to different nodes add up.
 */
export class ProactiveService {
  constructor(private readonly deps: ProactiveDeps) {}

  async receive(events: readonly BehaviourEvent[]): Promise<ReceivedEvents> {
    const received: ReceivedEvents = { accepted: 0, offered: [] }
    for (const event of [...events].sort((a, b) => a.at - b.at)) {
      // The shop names its own users; kefu3d knows them by the id their signed profile gave them.
      const customerId = asUserId(`u_${event.customerId}`)
      const recent = await this.remember(customerId, event)
      if (!recent) continue
      received.accepted++
      for (const rule of rulesFiredBy(this.deps.rules, recent, event)) {
        const conversation = await this.offer(customerId, rule)
        if (conversation)
          received.offered.push({ customerId, ruleId: rule.id, conversationId: conversation.id })
      }
    }
    return received
  }

  /** The customer's recent events with this one, or undefined when it was taken before or is stale. */
  private async remember(customerId: UserId, event: BehaviourEvent): Promise<BehaviourEvent[] | undefined> {
    const since = this.deps.clock.now() - BEHAVIOUR_WINDOW_MS
    // Yesterday's news offers no help now.
    if (event.at < since || !(await this.deps.repo.recordBehaviourEvent(customerId, event))) return undefined
    return this.deps.repo.listBehaviourEvents(customerId, since, KEPT_PER_CUSTOMER)
  }

  private async offer(customerId: UserId, rule: ProactiveRule): Promise<Conversation | undefined> {
    const { repo, clock } = this.deps
    // Someone this service has never met has no chat to offer help in.
    const customer = await repo.getCustomer(customerId)
    if (!customer) return undefined
    const now = clock.now()
    if (!(await repo.claimProactiveOffer(customerId, rule.id, serviceDay(now), now))) return undefined
    const opened = await this.deps.lifecycle.openForOffer(customer)
    const offered = await this.deps.conversations.withConversation(opened.id, async (conversation) => {
      const lang = await this.languageOf(conversation)
      const { accept, decline } = BOT_PHRASES[lang].offer
      const said = await this.deps.writer.writeBotMessage(conversation, rule.offer[lang])
      return this.deps.writer.writeEvent(said, {
        event: 'proactive.offered',
        ruleId: rule.id,
        quickReplies: [accept, decline],
      })
    })
    this.deps.logger.info({ customerId, ruleId: rule.id, conversationId: offered.id }, 'help offered unasked')
    return offered
  }

  /** The language the customer last wrote in here; Chinese for one who has not written yet. */
  private async languageOf(conversation: Conversation): Promise<KnowledgeLang> {
    const lastWords = (await this.deps.history.of(conversation)).lastCustomerText
    return lastWords ? languageOf(lastWords) : 'zh'
  }
}
