import {
  BOT_PHRASES,
  type BotPolicy,
  type BotState,
  type BotTurn,
  type Conversation,
  ConversationState,
  classifyEmotion,
  decideBotTurn,
  type Hit,
  type Logger,
  languageOf,
  MAX_MESSAGE_CHARS,
  type Message,
  MessageKind,
  parseConversationEvent,
} from '@kefu/shared'
import type { Conversations } from '../chat/Conversations'
import type { Lifecycle } from '../chat/Lifecycle'
import type { MessageWriter } from '../chat/MessageWriter'
import type { DomainEventMap } from '../events/DomainEvents'
import type { KnowledgeBase } from '../knowledge/KnowledgeBase'
import { wholeHistory } from '../store/history'
import type { Repository } from '../store/Repository'

export interface AssistantDeps {
  knowledge: KnowledgeBase
  lifecycle: Lifecycle
  conversations: Conversations
  writer: MessageWriter
  repo: Repository
  policy: BotPolicy
  logger: Logger
}

/**
 * The knowledge-base assistant: it answers a customer's text while no person has the conversation
 * (first while it holds it, then while the customer waits in the queue), asks whether the answer
 * helped, and hands off by the rules of `decideBotTurn`. Its words are messages of the `bot` role
 * and its decisions events in the history, so the agent who takes over reads the whole exchange.
 */
export class Assistant {
  constructor(private readonly deps: AssistantDeps) {}

  /** Subscribed to `message.stored`; the message path does not wait for the assistant's answer. */
  handleMessageStored({ conversation, message }: DomainEventMap['message.stored']): undefined {
    if (message.authorRole !== 'customer' || message.kind !== MessageKind.Text) return undefined
    if (conversation.state !== ConversationState.Queued) return undefined
    this.respond(conversation, message).catch((error: unknown) =>
      this.deps.logger.error(
        { err: error, conversationId: conversation.id },
        'the assistant failed to answer',
      ),
    )
    return undefined
  }

  private async respond(conversation: Conversation, message: Message): Promise<void> {
    const { knowledge, lifecycle } = this.deps
    const held = lifecycle.isWithBot(conversation.id)
    const state = await this.stateOf(conversation, held)
    const hits = knowledge.ask(message.body, 3)
    const turn = decideBotTurn({
      text: message.body,
      emotion: classifyEmotion(message.body),
      hits,
      state,
      policy: this.deps.policy,
    })
    const lang = languageOf(message.body)
    await this.act(conversation, turn, lang, held)
  }

  private async act(
    conversation: Conversation,
    turn: BotTurn,
    lang: 'zh' | 'en',
    held: boolean,
  ): Promise<void> {
    const { knowledge, lifecycle } = this.deps
    const phrases = BOT_PHRASES[lang]
    switch (turn.act) {
      case 'answer':
        await knowledge.count(turn.hit.entry.id, 'hit')
        await this.answer(conversation, turn.hit, lang, held)
        return
      case 'resolve':
        await knowledge.count(turn.entryId, 'helped')
        await this.say(conversation, phrases.glad, {
          event: 'bot.feedback',
          entryId: turn.entryId,
          helped: true,
        })
        await lifecycle.resolveByBot(conversation.id)
        return
      case 'hand_off':
        if (turn.entryId) {
          await knowledge.count(turn.entryId, 'handoff')
          if (turn.reason === 'not_helped') await knowledge.count(turn.entryId, 'not_helped')
        }
        await this.say(
          conversation,
          phrases.handOff[turn.reason],
          turn.reason === 'not_helped' && turn.entryId
            ? { event: 'bot.feedback', entryId: turn.entryId, helped: false }
            : undefined,
        )
        await lifecycle.handOff(conversation.id, turn.reason)
        return
      case 'stay_quiet':
        return
    }
  }

  private async answer(
    conversation: Conversation,
    hit: Hit,
    lang: 'zh' | 'en',
    held: boolean,
  ): Promise<void> {
    const phrases = BOT_PHRASES[lang]
    const lead = held ? phrases.intro : phrases.whileWaiting
    const text = `${lead}\n${hit.entry.answer}`.slice(0, MAX_MESSAGE_CHARS)
    const quickReplies = held
      ? [phrases.quickReplies.helped, phrases.quickReplies.notHelped, phrases.quickReplies.human]
      : []
    await this.deps.conversations.withConversation(conversation.id, async (current) => {
      const said = await this.deps.writer.writeBotMessage(
        current,
        held ? `${text}\n${phrases.askHelped}` : text,
      )
      await this.deps.writer.writeEvent(said, {
        event: 'bot.answered',
        entryId: hit.entry.id,
        confidence: Number(hit.confidence.toFixed(3)),
        quickReplies,
      })
    })
    if (held) this.deps.lifecycle.noteBotAnswer(conversation.id)
  }

  private async say(
    conversation: Conversation,
    text: string,
    event?: Parameters<MessageWriter['writeEvent']>[1],
  ): Promise<void> {
    await this.deps.conversations.withConversation(conversation.id, async (current) => {
      const recorded = event ? await this.deps.writer.writeEvent(current, event) : current
      await this.deps.writer.writeBotMessage(recorded, text)
    })
  }

  // The assistant remembers nothing of its own: the history says what it last answered and whether
  // the customer has replied to "did this help?" since.
  private async stateOf(conversation: Conversation, held: boolean): Promise<BotState> {
    let awaitingFeedbackOn: string | undefined
    for (const message of await wholeHistory(this.deps.repo, conversation.id)) {
      if (message.kind !== MessageKind.Event) continue
      const event = parseConversationEvent(message.body)
      if (event?.event === 'bot.answered')
        awaitingFeedbackOn = event.quickReplies.length ? event.entryId : undefined
      if (event?.event === 'bot.feedback') awaitingFeedbackOn = undefined
    }
    return { awaitingFeedbackOn: held ? awaitingFeedbackOn : undefined, handedOff: !held }
  }
}
