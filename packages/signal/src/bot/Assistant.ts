import {
  advanceFlow,
  BOT_PHRASES,
  type BotPolicy,
  type BotState,
  type BotTurn,
  type Conversation,
  ConversationState,
  decideBotTurn,
  type EmotionReading,
  type FlowAdvance,
  type FlowEntry,
  type FlowInput,
  type FlowState,
  flowStart,
  type Hit,
  type Logger,
  languageOf,
  MAX_MESSAGE_CHARS,
  type Message,
  offerReply,
  personWanted,
} from '@kefu/shared'
import type { Conversations } from '../chat/Conversations'
import type { HistoryFacts, HistoryProjection } from '../chat/HistoryProjection'
import type { MessageWriter } from '../chat/MessageWriter'
import type { EmergencyMode } from '../emergency/EmergencyMode'
import type { DomainEventMap } from '../events/DomainEvents'
import type { Integrator } from '../integrator/Integrator'
import type { KnowledgeBase } from '../knowledge/KnowledgeBase'
import type { AnswerComposer, ComposedAnswer } from '../llm/AnswerComposer'
import type { BotHold } from './BotHold'

export interface AssistantDeps {
  knowledge: KnowledgeBase
  /** An emergency playbook answers questions about the emergency itself, in the assistant's place. */
  emergency: Pick<EmergencyMode, 'answers'>
  hold: BotHold
  history: HistoryProjection
  conversations: Conversations
  writer: MessageWriter
  integrator: Integrator
  /** Words answers from the top entries with citations (`LLM_BASE_URL`); without it, entries as written. */
  composer: AnswerComposer
  policy: BotPolicy
  /** The assistant takes every new conversation first; without it, only those it offered help in. */
  botFirst: boolean
  logger: Logger
}

/**
 * The knowledge-base assistant: it answers a customer's text while no person has the conversation
 * (first while it holds it, then while the customer waits in the queue), asks whether the answer
 * helped, and hands off by the rules of `decideBotTurn`. Its words are messages of the `bot` role
 * and its decisions events in the history, so the agent who takes over reads the whole exchange.
 * A question that matches a scenario flow starts the flow instead; its state is the last
 * `flow.step` in the history, and the customer can leave it for a person at any turn.
 */
export class Assistant {
  constructor(private readonly deps: AssistantDeps) {}

  /** Subscribed to `message.stored`; the message path does not wait for the assistant's answer. */
  handleMessageStored({ conversation, message, emotion }: DomainEventMap['message.stored']): undefined {
    // Only a customer's text is read for its emotion: that is what the assistant answers.
    if (!emotion) return undefined
    if (conversation.state !== ConversationState.Queued) return undefined
    // Without BOT_FIRST the assistant speaks only where it offered help unasked; most messages are
    // told so by the projection in memory, without a turn of the event loop.
    const known = this.deps.history.known(conversation)
    if (!this.deps.botFirst && known && !known.botHold) return undefined
    this.respond(conversation, message, emotion).catch((error: unknown) =>
      this.deps.logger.error(
        { err: error, conversationId: conversation.id },
        'the assistant failed to answer',
      ),
    )
    return undefined
  }

  private async respond(
    conversation: Conversation,
    message: Message,
    emotion: EmotionReading,
  ): Promise<void> {
    const { knowledge, policy } = this.deps
    const facts = await this.deps.history.of(conversation)
    const held = facts.botHold !== undefined
    // Without BOT_FIRST the assistant speaks only where it offered help unasked.
    if (!this.deps.botFirst && !held) return
    const { bot, flow, offerOpen } = stateOf(facts, message)
    const lang = languageOf(message.body)
    const personAsked = personWanted(message.body, emotion, policy)
    // The playbook's reply says what the knowledge base cannot know: that something is broken now.
    if (!personAsked && this.deps.emergency.answers(conversation, message.body)) return
    const toOffer = offerOpen ? offerReply(message.body) : undefined
    if (toOffer === 'decline') {
      await this.say(conversation, BOT_PHRASES[lang].offer.declined)
      return
    }
    // A service of people only (no BOT_FIRST) passes whoever answers its offer straight to a person.
    if (toOffer === 'accept' || !this.deps.botFirst) {
      await this.act(conversation, { act: 'hand_off', reason: personAsked ?? 'asked_for_human' }, lang)
      return
    }
    const running = flow && knowledge.flow(flow.flowId)
    if (running && flow) {
      if (personAsked) {
        await this.endFlow(conversation, running, 'handoff')
        await this.act(conversation, { act: 'hand_off', reason: personAsked }, lang)
      } else await this.runFlow(conversation, running, flow, { kind: 'customer', text: message.body }, lang)
      return
    }
    const hits = await knowledge.ask(message.body, 3)
    const turn = decideBotTurn({ text: message.body, emotion, hits, state: bot, policy })
    if (turn.act === 'answer' && turn.hit.entry.tier === 'flow') {
      // A flow is a conversation of its own: it runs only while the assistant holds the customer.
      const started = held && knowledge.flow(turn.hit.entry.id)
      if (!started) return
      await knowledge.count(started.id, 'hit')
      await this.runFlow(
        conversation,
        started,
        flowStart(started),
        { kind: 'start', text: message.body },
        lang,
      )
      return
    }
    if (turn.act === 'answer') {
      // The same decision with or without a model: the model only words the answer, from the entries.
      const composed = await this.deps.composer.compose(message.body, hits, lang)
      if (composed === null) await this.act(conversation, { act: 'hand_off', reason: 'low_confidence' }, lang)
      else {
        await knowledge.count(turn.hit.entry.id, 'hit')
        await this.answer(conversation, turn.hit, lang, held, composed)
      }
      return
    }
    await this.act(conversation, turn, lang)
  }

  /**
   * Moves a flow on with one input, calling the integrator as often as its steps ask, and records
   * every line said and the state it stops at; at its end the conversation is resolved or handed off.
   */
  private async runFlow(
    conversation: Conversation,
    flow: FlowEntry,
    state: FlowState,
    input: FlowInput,
    lang: 'zh' | 'en',
  ): Promise<void> {
    let advance = advanceFlow(flow, state, input)
    while (advance.call) {
      await this.recordFlow(conversation, advance)
      const outcome = await this.deps.integrator.call({
        action: advance.call,
        flowId: flow.id,
        conversationId: conversation.id,
        customerId: conversation.customerId,
        slots: advance.state.slots,
      })
      await this.record(conversation, {
        event: 'flow.called',
        flowId: flow.id,
        action: advance.call,
        ok: outcome.ok,
      })
      advance = advanceFlow(flow, advance.state, { kind: 'webhook', outcome })
    }
    await this.recordFlow(conversation, advance)
    if (!advance.done) return
    await this.endFlow(conversation, flow, advance.done)
    if (advance.done === 'resolved') await this.deps.hold.resolveByBot(conversation.id)
    else {
      if (advance.say.length === 0) await this.say(conversation, BOT_PHRASES[lang].handOff.flow)
      await this.deps.knowledge.count(flow.id, 'handoff')
      await this.deps.hold.handOff(conversation.id, 'flow')
    }
  }

  /** The flow's lines as the assistant's messages, then where it stands (with its quick replies). */
  private async recordFlow(conversation: Conversation, advance: FlowAdvance): Promise<void> {
    await this.deps.conversations.withConversation(conversation.id, async (current) => {
      let latest = current
      for (const line of advance.say)
        latest = await this.deps.writer.writeBotMessage(latest, line.slice(0, MAX_MESSAGE_CHARS))
      await this.deps.writer.writeEvent(latest, {
        event: 'flow.step',
        ...advance.state,
        quickReplies: advance.quickReplies,
      })
    })
  }

  private async endFlow(
    conversation: Conversation,
    flow: FlowEntry,
    outcome: 'resolved' | 'handoff',
  ): Promise<void> {
    await this.record(conversation, { event: 'flow.ended', flowId: flow.id, outcome })
  }

  private async act(
    conversation: Conversation,
    turn: Exclude<BotTurn, { act: 'answer' }>,
    lang: 'zh' | 'en',
  ): Promise<void> {
    const { knowledge, hold } = this.deps
    const phrases = BOT_PHRASES[lang]
    switch (turn.act) {
      case 'resolve':
        await knowledge.count(turn.entryId, 'helped')
        await this.say(conversation, phrases.glad, {
          event: 'bot.feedback',
          entryId: turn.entryId,
          helped: true,
        })
        await hold.resolveByBot(conversation.id)
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
        await hold.handOff(conversation.id, turn.reason)
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
    composed: ComposedAnswer | undefined,
  ): Promise<void> {
    const phrases = BOT_PHRASES[lang]
    const lead = held ? phrases.intro : phrases.whileWaiting
    const text = `${lead}\n${composed?.text ?? hit.entry.answer}`.slice(0, MAX_MESSAGE_CHARS)
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
        ...(composed ? { citations: composed.citations } : {}),
      })
    })
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

  private async record(
    conversation: Conversation,
    event: Parameters<MessageWriter['writeEvent']>[1],
  ): Promise<void> {
    await this.deps.conversations.withConversation(conversation.id, (current) =>
      this.deps.writer.writeEvent(current, event),
    )
  }
}

// The assistant remembers nothing of its own: the history's facts say what it last answered,
// whether the customer has replied to "did this help?" since, where a running flow stands, and
// whether help it offered unasked awaits the customer's first reply (this message).
function stateOf(
  facts: HistoryFacts,
  reply: Message,
): { bot: BotState; flow: FlowState | undefined; offerOpen: boolean } {
  const held = facts.botHold !== undefined
  return {
    bot: { awaitingFeedbackOn: held ? facts.awaitingFeedbackOn : undefined, handedOff: !held },
    flow: held ? facts.flow : undefined,
    offerOpen: held && facts.offer?.answeredBySeq === reply.seq,
  }
}
