import {
  type Clock,
  type Conversation,
  type ConversationId,
  ConversationState,
  DeliveryRoute,
  ErrorCode,
  type IdSource,
  KefuError,
  type Logger,
  languageOf,
  MessageKind,
  matchesPlaybook,
  type PlaybookActivation,
  type PlaybookEntry,
  type RoutingConfig,
  routingDuring,
  type ServerFrame,
  type ServiceNotice,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { Conversations } from '../chat/Conversations'
import type { HistoryProjection } from '../chat/HistoryProjection'
import type { MessageWriter } from '../chat/MessageWriter'
import type { DomainEventMap } from '../events/DomainEvents'
import type { NodeChanges } from '../events/NodeChanges'
import type { KnowledgeBase } from '../knowledge/KnowledgeBase'
import { type Bus, serviceTopic } from '../ports/Bus'
import type { Locks } from '../ports/Locks'
import type { RoutingState } from '../ports/RoutingState'
import type { RoutingQueue } from '../routing/RoutingQueue'
import { wholeHistory } from '../store/history'
import type { ConversationRepository, PlaybookRepository } from '../store/Repository'

export interface EmergencyDeps {
  repo: PlaybookRepository & ConversationRepository
  knowledge: Pick<KnowledgeBase, 'get'>
  queue: Pick<RoutingQueue, 'shiftPriority' | 'runAssignment'>
  history: HistoryProjection
  conversations: Conversations
  writer: MessageWriter
  router: RoutingState
  /** The service's own routing policy, restored when a playbook is switched off. */
  routing: RoutingConfig
  bus: Bus
  /** Tells the other nodes a playbook was switched on or off. */
  changes: Pick<NodeChanges, 'announce'>
  locks: Locks
  clock: Clock
  ids: IdSource
  logger: Logger
}

/** How many past activations a supervisor sees. */
const LOG_LENGTH = 50
const LOCK = 'emergency-mode'

/**
 * The service in an emergency: one playbook at a time, switched on and off by a supervisor. While
 * on, every screen shows its banner (customers of WeChat's customer-service messages, who have no
 * screen of ours, get it once as a message), a customer's message about the emergency gets the
 * auto-reply while no person has the conversation, such conversations move up the queue, and the
 * queues overflow by the playbook's rule. Switching off undoes each of these: the policy is never
 * changed, only swapped, and the activation record lists every conversation it moved.
 */
export class EmergencyMode {
  private active: PlaybookActivation | undefined

  constructor(private readonly deps: EmergencyDeps) {}

  /**
   * Reads the playbook in force from the store: at start (a restart mid-outage stays in emergency
   * mode), and whenever another node switched one on or off.
   */
  async restore(): Promise<void> {
    await this.deps.locks.run(LOCK, async () => {
      const [latest] = await this.deps.repo.listPlaybookActivations(1)
      const inForce = latest && latest.deactivatedAt === null ? latest : undefined
      if (inForce?.id === this.active?.id) {
        this.active = inForce
        return
      }
      this.active = inForce
      await this.deps.router.reconfigure(
        inForce ? routingDuring(inForce.playbook, this.deps.routing) : this.deps.routing,
      )
    })
  }

  /** The banner every screen shows now, if any. */
  notice(): ServiceNotice | null {
    const active = this.active
    if (!active) return null
    return { playbookId: active.playbook.id, banner: active.playbook.banner, since: active.activatedAt }
  }

  /** The playbook on now and the latest activations, newest first. */
  async log(): Promise<{ active: PlaybookActivation | null; activations: PlaybookActivation[] }> {
    // The one on is the newest activation, so the list holds it with every node's boosts.
    const activations = await this.deps.repo.listPlaybookActivations(LOG_LENGTH)
    const active = activations.find((activation) => activation.id === this.active?.id) ?? null
    return { active, activations }
  }

  /**
   * Switches a playbook on. Switching on the one already on changes nothing; another one on is a
   * conflict (switch it off first: two emergencies' routing rules would fight).
   */
  async activate(session: Session, playbookId: string): Promise<PlaybookActivation> {
    assertSupervisor(session)
    return this.deps.locks.run(LOCK, async () => {
      if (this.active?.playbook.id === playbookId) return this.withBoosts(this.active)
      if (this.active)
        throw new KefuError(
          ErrorCode.Conflict,
          `Playbook ${this.active.playbook.id} is on; switch it off first`,
        )
      const playbook = this.playbookToActivate(playbookId)
      const activation: PlaybookActivation = {
        id: `pa_${this.deps.ids.newId()}`,
        playbook,
        activatedBy: session.userId,
        activatedByName: session.displayName,
        activatedAt: this.deps.clock.now(),
        deactivatedBy: null,
        deactivatedByName: null,
        deactivatedAt: null,
        boosted: [],
      }
      await this.deps.repo.savePlaybookActivation(activation)
      this.active = activation
      await this.deps.router.reconfigure(routingDuring(playbook, this.deps.routing))
      this.deps.changes.announce('playbook')
      this.broadcast()
      this.deps.logger.info(
        { playbookId, activationId: activation.id, by: session.userId },
        'emergency playbook switched on',
      )
      for (const entry of await this.deps.router.orderedQueue())
        if (await this.askedAbout(entry.conversationId, playbook)) await this.boost(entry.conversationId)
      await this.deps.queue.runAssignment()
      return this.withBoosts(activation)
    })
  }

  /** Switches the playbook off and undoes what it changed; with none on, nothing happens. */
  async deactivate(session: Session): Promise<PlaybookActivation | null> {
    assertSupervisor(session)
    return this.deps.locks.run(LOCK, async () => {
      const active = this.active
      if (!active) return null
      await this.deps.router.reconfigure(this.deps.routing)
      const { id: activationId, playbook } = active
      // Every node's boosts, read from the store: each node recorded its own as it made them.
      const boosted = await this.deps.repo.listPlaybookBoosts(activationId)
      for (const conversationId of boosted)
        await this.movePriority(active, conversationId, -playbook.routing.priorityBoost)
      const ended: PlaybookActivation = {
        ...active,
        boosted,
        deactivatedBy: session.userId,
        deactivatedByName: session.displayName,
        deactivatedAt: this.deps.clock.now(),
      }
      await this.deps.repo.savePlaybookActivation(ended)
      this.active = undefined
      this.deps.changes.announce('playbook')
      this.broadcast()
      this.deps.logger.info(
        { playbookId: playbook.id, activationId, by: session.userId },
        'emergency playbook switched off',
      )
      return ended
    })
  }

  /**
   * Whether the playbook answers this message itself (the assistant then leaves it alone): it is
   * about the emergency and no person has the conversation yet.
   */
  answers(conversation: Conversation, text: string): boolean {
    return (
      this.active !== undefined &&
      conversation.state === ConversationState.Queued &&
      matchesPlaybook(this.active.playbook, text)
    )
  }

  /** Subscribed to `message.stored`; the message path does not wait for any of this. */
  handleMessageStored({ conversation, message }: DomainEventMap['message.stored']): undefined {
    const active = this.active
    if (!active || message.authorRole !== 'customer' || message.kind !== MessageKind.Text) return undefined
    this.respond(active, conversation, message.body).catch((error: unknown) =>
      this.deps.logger.error(
        { err: error, conversationId: conversation.id },
        'the emergency playbook did not answer',
      ),
    )
    return undefined
  }

  private async respond(active: PlaybookActivation, conversation: Conversation, text: string): Promise<void> {
    const { playbook } = active
    const about = matchesPlaybook(playbook, text)
    await this.deps.conversations.withConversation(conversation.id, async (current) => {
      let latest = current
      if (current.delivery === DeliveryRoute.WechatCustomerService && !(await this.told(current, active)))
        latest = await this.say(latest, active, playbook.banner[languageOf(text)], 'banner')
      if (this.answers(current, text))
        await this.say(latest, active, playbook.autoReply[languageOf(text)], 'auto_reply')
    })
    if (about && conversation.state === ConversationState.Queued) {
      await this.deps.locks.run(LOCK, async () => {
        if (this.active === active) await this.boost(conversation.id)
      })
    }
  }

  private async say(
    conversation: Conversation,
    active: PlaybookActivation,
    text: string,
    said: 'banner' | 'auto_reply',
  ): Promise<Conversation> {
    const spoken = await this.deps.writer.writeBotMessage(conversation, text)
    return this.deps.writer.writeEvent(spoken, {
      event: 'playbook.said',
      playbookId: active.playbook.id,
      activationId: active.id,
      said,
    })
  }

  /** Whether this activation's banner was already sent into the conversation. */
  private async told(conversation: Conversation, active: PlaybookActivation): Promise<boolean> {
    return (await this.deps.history.of(conversation)).bannersTold.includes(active.id)
  }

  /**
   * Once per activation, whichever node sees the conversation first: the store records the boost
   * before the priority moves, so switching off (at any node) finds it.
   */
  private async boost(conversationId: ConversationId): Promise<void> {
    const active = this.active
    if (!active || active.playbook.routing.priorityBoost === 0) return
    if (!(await this.deps.repo.boostForPlaybook(active.id, conversationId, this.deps.clock.now()))) return
    await this.movePriority(active, conversationId, active.playbook.routing.priorityBoost)
  }

  private async withBoosts(activation: PlaybookActivation): Promise<PlaybookActivation> {
    return { ...activation, boosted: await this.deps.repo.listPlaybookBoosts(activation.id) }
  }

  /** Moves a conversation's priority on this activation's account, with the event saying so. */
  private movePriority(active: PlaybookActivation, conversationId: ConversationId, delta: number) {
    return this.deps.queue.shiftPriority(conversationId, delta, (priority) => ({
      event: 'playbook.priority',
      playbookId: active.playbook.id,
      activationId: active.id,
      delta,
      priority,
    }))
  }

  // The one history read left: done once per waiting conversation when a playbook is switched on,
  // it matches the customer's words against keywords known only now, which no projection holds.
  private async askedAbout(conversationId: ConversationId, playbook: PlaybookEntry): Promise<boolean> {
    for (const message of await wholeHistory(this.deps.repo, conversationId))
      if (
        message.authorRole === 'customer' &&
        message.kind === MessageKind.Text &&
        matchesPlaybook(playbook, message.body)
      )
        return true
    return false
  }

  private playbookToActivate(playbookId: string): PlaybookEntry {
    const record = this.deps.knowledge.get(playbookId)
    if (record?.entry.tier !== 'playbook') throw KefuError.notFound(`Playbook ${playbookId}`)
    if (record.status === 'retired') throw KefuError.badRequest(`Playbook ${playbookId} is retired`)
    const overflowTo = record.entry.routing.overflowTo
    if (overflowTo !== undefined && !this.deps.routing.teams.some((team) => team.id === overflowTo))
      throw KefuError.badRequest(`Playbook ${playbookId} overflows to ${overflowTo}, which is no team`)
    return record.entry
  }

  private broadcast(): void {
    const frame: ServerFrame = { t: 'service.notice', notice: this.notice() }
    this.deps.bus.publish(serviceTopic, JSON.stringify(frame))
  }
}

function assertSupervisor(session: Session): void {
  if (session.role !== 'supervisor') throw KefuError.forbidden('Only supervisors switch emergency playbooks')
}
