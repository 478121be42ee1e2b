import {
  type Conversation,
  DeliveryRoute,
  ErrorCode,
  KefuError,
  type Logger,
  type Message,
  type ServerFrame,
  type UserId,
} from '@kefu/shared'
import type { DomainEventMap } from '../events/DomainEvents'
import { type Bus, superviseTopic, teamTopic, userTopic } from '../ports/Bus'
import type { DeliveryLog } from '../ports/DeliveryLog'
import type { PresenceView } from '../ports/Presence'
import type { Repository } from '../store/Repository'

/** Sends frames to the people of a conversation on every device, and keeps messages for those away. */
export class Fanout {
  constructor(
    private readonly bus: Bus,
    private readonly presence: PresenceView,
    private readonly repo: Repository,
    private readonly logger: Logger,
    private readonly deliveries?: DeliveryLog,
  ) {}

  /** Refuses, retryably, what would be stored while nobody on another node can hear of it. */
  assertReachable(): void {
    if (!this.bus.reachable)
      throw new KefuError(ErrorCode.Unavailable, 'This node cannot reach the others; try again shortly')
  }

  /** The customer and the assigned agent, if any. */
  participants(conversation: Conversation): UserId[] {
    return conversation.agentId ? [conversation.customerId, conversation.agentId] : [conversation.customerId]
  }

  /** `origin` is the connection that caused this; it is not sent its own frame back. */
  toUsers(userIds: readonly UserId[], frame: ServerFrame, origin?: string): void {
    this.publishToUsers(userIds, JSON.stringify(frame), origin)
  }

  private publishToUsers(userIds: readonly UserId[], payload: string, origin?: string): void {
    for (const userId of new Set(userIds)) this.bus.publish(userTopic(userId), payload, origin)
  }

  toTeam(teamId: string, frame: ServerFrame): void {
    this.bus.publish(teamTopic(teamId), JSON.stringify(frame))
  }

  /**
   * Subscribed to `conversation.changed`: the participants, any extra people (a former agent) and
   * the team's staff; when the conversation left a team, that team's staff too, so their lists drop it.
   */
  handleConversationChanged({
    conversation,
    frame,
    alsoTo = [],
    formerTeamId = conversation.teamId,
  }: DomainEventMap['conversation.changed']): void {
    const payload = JSON.stringify(frame)
    this.publishToUsers([...this.participants(conversation), ...alsoTo], payload)
    for (const teamId of new Set([conversation.teamId, formerTeamId]))
      this.bus.publish(teamTopic(teamId), payload)
  }

  /**
   * Subscribed to `message.stored`: pushed live to every device (but the sending one, which gets an
   * ack) and to the team's supervisors, and queued for any participant with no device online.
   */
  async handleMessageStored({
    conversation,
    message,
    origin,
  }: DomainEventMap['message.stored']): Promise<void> {
    const recipients = this.participants(conversation)
    const payload = JSON.stringify({ t: 'message.new', message } satisfies ServerFrame)
    this.publishToUsers(recipients, payload, origin)
    this.bus.publish(superviseTopic(conversation.teamId), payload)
    const away = recipients.filter((userId) => !this.presence.isOnline(userId))
    this.countDeliveries(conversation, message, away)
    for (const userId of away) {
      await this.repo
        .enqueueOffline(userId, {
          conversationId: conversation.id,
          seq: message.seq,
          enqueuedAt: message.createdAt,
        })
        .catch((error: unknown) =>
          this.logger.error({ err: error, userId }, 'could not keep a message for an offline user'),
        )
    }
  }

  // Owed to everyone but the author; a customer WeChat's own API reaches is not owed over sockets.
  private countDeliveries(conversation: Conversation, message: Message, away: readonly UserId[]): void {
    if (!this.deliveries) return
    const owedTo = this.participants(conversation).filter(
      (userId) =>
        userId !== message.authorId &&
        (userId !== conversation.customerId || conversation.delivery === DeliveryRoute.Kefu),
    )
    this.deliveries.owed(message, owedTo.length)
    for (const userId of owedTo) if (!away.includes(userId)) this.deliveries.delivered(message)
  }
}
