import {
  type Channel,
  type ConversationFacts,
  conversationFacts,
  emptyFigures,
  figuresOf,
  meanOf,
  mergeFigures,
  type QualityFigures,
  type TeamId,
} from '@kefu/shared'
import type { Repository } from '../store/Repository'

/** A figure as the dashboard shows it: its value (a mean, or a share for rates) and its base. */
export interface Figure {
  value: number | null
  count: number
}
export type FigureSummary = Record<keyof QualityFigures, Figure>

export interface QualityReport {
  from: number
  to: number
  conversations: number
  overall: FigureSummary
  byTeam: Record<string, FigureSummary>
  /** Each agent's own work: first responses they wrote, their handling. */
  byAgent: Record<string, Pick<FigureSummary, 'frt' | 'aht'>>
  /** True when the range held more conversations than one report reads (the newest were read). */
  truncated: boolean
}

export interface QualityQuery {
  teamIds: readonly TeamId[]
  /** Conversations created in [from, to). */
  from: number
  to: number
  channel?: Channel | undefined
  serviceTargetMs: number
}

// A report reads at most this many conversations; beyond it the figures come from the newest.
const MAX_CONVERSATIONS = 5000
const HISTORY_PAGE = 500

/**
 * The quality figures of the conversations created in a range, recomputed from their stored
 * histories (the event log) with the rules of `conversationFacts`. Slices are merged tallies, so
 * the overall figure is weighted by volume, not the mean of the teams' means.
 */
export async function qualityReport(repo: Repository, query: QualityQuery): Promise<QualityReport> {
  const listed = await repo.listConversations({ teamIds: query.teamIds, limit: MAX_CONVERSATIONS })
  const inRange = listed.filter(
    (conversation) => conversation.createdAt >= query.from && conversation.createdAt < query.to,
  )
  const everyFacts: ConversationFacts[] = []
  for (const conversation of inRange) {
    const facts = conversationFacts(await wholeHistory(repo, conversation.id))
    if (facts && (query.channel === undefined || facts.channel === query.channel)) everyFacts.push(facts)
  }
  let overall = emptyFigures()
  const byTeam = new Map<string, QualityFigures>()
  const byAgent = new Map<string, QualityFigures>()
  for (const facts of everyFacts) {
    const figures = figuresOf(facts, query.serviceTargetMs)
    overall = mergeFigures(overall, figures)
    const team = facts.teamId ?? 'none'
    byTeam.set(team, mergeFigures(byTeam.get(team) ?? emptyFigures(), figures))
    const agents = new Set([...facts.handling.map((span) => span.agentId), facts.firstResponse?.agentId])
    for (const agentId of agents) {
      if (!agentId) continue
      const own = figuresOf(facts, query.serviceTargetMs, { agentId })
      byAgent.set(agentId, mergeFigures(byAgent.get(agentId) ?? emptyFigures(), own))
    }
  }
  return {
    from: query.from,
    to: query.to,
    conversations: everyFacts.length,
    overall: summarise(overall),
    byTeam: Object.fromEntries([...byTeam].map(([team, figures]) => [team, summarise(figures)])),
    byAgent: Object.fromEntries(
      [...byAgent].map(([agent, figures]) => {
        const { frt, aht } = summarise(figures)
        return [agent, { frt, aht }]
      }),
    ),
    truncated: listed.length >= MAX_CONVERSATIONS,
  }
}

function summarise(figures: QualityFigures): FigureSummary {
  const summary = {} as FigureSummary
  for (const name of Object.keys(figures) as (keyof QualityFigures)[])
    summary[name] = { value: meanOf(figures[name]) ?? null, count: figures[name].count }
  return summary
}

async function wholeHistory(
  repo: Repository,
  conversationId: Parameters<Repository['listMessagesAfter']>[0],
) {
  const history = []
  for (let after = 0; ; ) {
    const page = await repo.listMessagesAfter(conversationId, after, HISTORY_PAGE)
    history.push(...page)
    const last = page.at(-1)
    if (!last || page.length < HISTORY_PAGE) return history
    after = last.seq
  }
}
