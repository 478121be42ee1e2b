import type { BotHandoffReason } from '../domain/events'
import { ANGER_THRESHOLD, type EmotionReading } from '../emotion/classify'
import type { KnowledgeLang } from './faq'
import type { Hit } from './retrieval'

/** What the assistant does with a customer's message. */
export type BotTurn =
  | { act: 'answer'; hit: Hit }
  /** The customer said the last answer helped: the conversation is resolved without a person. */
  | { act: 'resolve'; entryId: string }
  | { act: 'hand_off'; reason: BotHandoffReason; entryId?: string | undefined }
  /** Nothing worth saying (a person is already on the way and the knowledge base has no answer). */
  | { act: 'stay_quiet' }

/** Where the assistant stands in a conversation, read back from its history. */
export interface BotState {
  /** The entry of the last answer, while the customer has not yet said whether it helped. */
  awaitingFeedbackOn: string | undefined
  /** Already passed to a person: the assistant only offers answers while the customer waits. */
  handedOff: boolean
}

export interface BotPolicy {
  /** Answers below this confidence are not given: the customer goes to a person. */
  minConfidence: number
  /** Anger at or above this intensity goes to a person at once. */
  angerHandoff: number
}

export const DEFAULT_BOT_POLICY: BotPolicy = { minConfidence: 0.6, angerHandoff: ANGER_THRESHOLD }

/** The assistant's words, in the customer's language; quick replies are sent back as they read. */
export const BOT_PHRASES = {
  zh: {
    name: '智能助手',
    intro: '您好，我是智能助手（机器人），先从知识库里为您找了答案：',
    whileWaiting: '人工客服马上就到，您可以先看看这条：',
    askHelped: '这个回答解决您的问题了吗？',
    glad: '很高兴帮到您！还有问题随时发给我。',
    quickReplies: { helped: '解决了', notHelped: '没解决', human: '转人工' },
    handOff: {
      asked_for_human: '好的，正在为您转接人工客服，请稍候。',
      not_helped: '抱歉没能帮上忙，正在为您转接人工客服，请稍候。',
      low_confidence: '这个问题我还答不好，正在为您转接人工客服，请稍候。',
      anger: '非常抱歉给您带来不好的体验，已为您优先转接人工客服。',
      flow: '请稍候，人工客服马上就到。',
    },
    offer: { accept: '需要帮助', decline: '不用了', declined: '好的，有需要随时找我们。' },
  },
  en: {
    name: 'Assistant',
    intro: 'Hi, I am the assistant (a bot). Here is what the knowledge base says:',
    whileWaiting: 'A person will be with you shortly; meanwhile this may help:',
    askHelped: 'Did this solve your question?',
    glad: 'Glad that helped! Write any time if something else comes up.',
    quickReplies: { helped: 'Solved', notHelped: 'Not solved', human: 'Talk to a person' },
    handOff: {
      asked_for_human: 'Sure, connecting you with a person now.',
      not_helped: 'Sorry that did not help; connecting you with a person now.',
      low_confidence: 'I cannot answer that well; connecting you with a person now.',
      anger: 'I am very sorry about this. A person will take over right away.',
      flow: 'Please hold on, a person will be with you shortly.',
    },
    offer: {
      accept: 'Help me',
      decline: 'No thanks',
      declined: 'All right. We are here whenever you need us.',
    },
  },
} as const satisfies Record<KnowledgeLang, unknown>

const ASKS_FOR_HUMAN =
  /转人工|找人工|要人工|接人工|人工服务|真人|^人工(?:客服)?$|找客服|\b(?:human|representative|real person|live agent)\b|\b(?:talk|speak|chat) (?:to|with) (?:a |an |some)?(?:person|agent|human|someone)\b/i
const HELPED =
  /^(?:解决了|好的|好了|可以了|行了?|明白了|懂了|知道了|谢谢|多谢|嗯+|ok(?:ay)?|yes|yep|solved|thanks?|thank you|got it|great)(?![a-z])/i
const NOT_HELPED =
  /没解决|没有解决|不行|没用|没有用|不对|没帮助|不是这个|不管用|\b(?:no|nope|not solved|not helpful|didn'?t help|doesn'?t help|wrong)\b/i
/** A reply this short is an answer to "did this help?", not a new question. */
const SHORT_REPLY_CHARS = 12

/** The customer's answer to help offered before they asked, when it is one of its two replies. */
export function offerReply(text: string): 'accept' | 'decline' | undefined {
  const said = text.trim().toLowerCase()
  for (const lang of ['zh', 'en'] as const) {
    const { accept, decline } = BOT_PHRASES[lang].offer
    if (said === accept.toLowerCase()) return 'accept'
    if (said === decline.toLowerCase()) return 'decline'
  }
  return undefined
}

/** Which of the assistant's quick replies, in either language, the customer sent back (if any). */
export function quickReply(text: string): keyof (typeof BOT_PHRASES)['zh']['quickReplies'] | undefined {
  const said = text.trim().toLowerCase()
  for (const lang of ['zh', 'en'] as const)
    for (const [choice, label] of Object.entries(BOT_PHRASES[lang].quickReplies))
      if (label.toLowerCase() === said) return choice as 'helped' | 'notHelped' | 'human'
  return undefined
}

/**
 * Whether the customer should have a person now, whatever the assistant was doing (answering, or
 * in the middle of a flow): an angry customer does (and hears the apology first), so does one who
 * asks for a person.
 */
export function personWanted(
  text: string,
  emotion: EmotionReading,
  policy: BotPolicy = DEFAULT_BOT_POLICY,
): 'anger' | 'asked_for_human' | undefined {
  if (emotion.emotion === 'anger' && emotion.intensity >= policy.angerHandoff) return 'anger'
  if (quickReply(text) === 'human' || ASKS_FOR_HUMAN.test(text)) return 'asked_for_human'
  return undefined
}

/** Within this share of the best score, two entries match a question alike. */
const ALIKE = 0.98

/**
 * The best hit, except that a flow matching as well as the best FAQ wins: "我要退款" can be
 * answered with how refunds work or by filing the refund, and filing it is the better service.
 */
function preferringFlows(hits: readonly Hit[]): Hit | undefined {
  const [top] = hits
  if (!top) return undefined
  return hits.find((hit) => hit.entry.tier === 'flow' && hit.score >= top.score * ALIKE) ?? top
}

/**
 * The assistant's hand-off rules, in order: `personWanted`; a customer answering "did this help?"
 * is resolved on yes and handed off on no; a new question is answered when the knowledge base is
 * confident enough (a flow's question starts the flow), and otherwise handed off (or, when a person
 * is already coming, left for them).
 */
export function decideBotTurn(input: {
  text: string
  emotion: EmotionReading
  hits: readonly Hit[]
  state: BotState
  policy?: BotPolicy
}): BotTurn {
  const { text, emotion, hits, state } = input
  const policy = input.policy ?? DEFAULT_BOT_POLICY
  const chosen = quickReply(text)
  const awaiting = state.awaitingFeedbackOn
  if (!state.handedOff) {
    const reason = personWanted(text, emotion, policy)
    if (reason) return { act: 'hand_off', reason, entryId: awaiting }
  }
  const best = preferringFlows(hits)
  const confident = best !== undefined && best.confidence >= policy.minConfidence
  if (awaiting !== undefined && !state.handedOff) {
    const short = text.trim().length <= SHORT_REPLY_CHARS
    if (chosen === 'notHelped' || (short && NOT_HELPED.test(text)))
      return { act: 'hand_off', reason: 'not_helped', entryId: awaiting }
    if (chosen === 'helped' || (short && !confident && HELPED.test(text.trim())))
      return { act: 'resolve', entryId: awaiting }
  }
  if (confident && best.entry.id !== awaiting) return { act: 'answer', hit: best }
  if (state.handedOff) return { act: 'stay_quiet' }
  return {
    act: 'hand_off',
    reason: awaiting !== undefined ? 'not_helped' : 'low_confidence',
    entryId: awaiting,
  }
}
