import {
  type Conversation,
  DeliveryRoute,
  ErrorCode,
  KefuError,
  type Logger,
  type Message,
  type UserId,
} from '@kefu/shared'
import type { ReplyGate } from '../chat/Messaging'
import type { WechatConfig } from '../config'
import type { DomainEventMap } from '../events/DomainEvents'
import type { Locks } from '../ports/Locks'
import type { DeliveryRepository } from '../store/Repository'
import type { WechatApi } from './WechatApi'

/** Customer ids of WeChat users carry their openid. */
export const WECHAT_USER_PREFIX = 'wx_'
export const openIdOf = (customerId: UserId): string => customerId.slice(WECHAT_USER_PREFIX.length)

/** What the agent console shows: replies left and when the window closes. */
export interface ReplyWindowView {
  remaining: number
  closesAt: number
}

/**
 * Replies to WeChat users go through WeChat's send API, which only allows a few messages within
 * 48 h of the user's last message. The window is checked (and a reply taken) before the agent's
 * message is stored, so a refused reply is an error the agent sees, never a silent drop.
 */
export class WechatChannel implements ReplyGate {
  constructor(
    private readonly config: WechatConfig,
    private readonly repo: DeliveryRepository,
    private readonly api: WechatApi,
    private readonly locks: Locks,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  async reserve(conversation: Conversation): Promise<void> {
    if (!(await this.takeReply(conversation))) {
      throw new KefuError(
        ErrorCode.ReplyWindowClosed,
        'WeChat allows no more replies until the customer writes again',
      )
    }
  }

  /** Subscribed to `message.stored`: staff replies to customers who wrote through WeChat's push. */
  handleMessageStored({ conversation, message }: DomainEventMap['message.stored']): void {
    const isStaffReply =
      message.authorRole === 'agent' || message.authorRole === 'supervisor' || message.authorRole === 'bot'
    if (conversation.delivery === DeliveryRoute.WechatCustomerService && isStaffReply)
      void this.deliver(conversation, message)
  }

  /**
   * Sends in order per customer, under a lock every node takes: a reply being retried holds back
   * the ones after it, also those stored at another node. The
   * assistant's replies count against WeChat's window like an agent's (an agent's was taken before
   * it was stored): uncounted, they would leave the agent's last reply to be refused by WeChat
   * after the console said it could go.
   */
  private deliver(conversation: Conversation, message: Message): Promise<void> {
    const customerId = conversation.customerId
    const send = async () => {
      if (message.authorRole === 'bot' && !(await this.takeReply(conversation))) {
        this.logger.warn(
          { conversationId: conversation.id },
          'the WeChat reply window is used up: the assistant stays quiet',
        )
        return
      }
      await this.api.sendText(openIdOf(customerId), message.body).catch((error: unknown) => {
        this.logger.error({ err: error, conversationId: conversation.id }, 'reply not delivered to WeChat')
      })
    }
    return this.locks.run(`wechat-delivery:${customerId}`, send)
  }

  /** One reply of the customer's current window, if any is left. */
  private takeReply(conversation: Conversation): Promise<boolean> {
    return this.repo.takeReply(
      conversation.customerId,
      this.now() - this.config.replyWindowMs,
      this.config.replyLimit,
    )
  }

  async window(customerId: UserId): Promise<ReplyWindowView> {
    const window = await this.repo.replyWindow(customerId)
    if (!window) return { remaining: 0, closesAt: 0 }
    const closesAt = window.lastInboundAt + this.config.replyWindowMs
    const remaining = closesAt > this.now() ? Math.max(0, this.config.replyLimit - window.repliesUsed) : 0
    return { remaining, closesAt }
  }
}
