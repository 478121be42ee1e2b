import {
  addInto,
  addToTotal,
  type Channel,
  type ConversationFacts,
  conversationFacts,
  emptyFigures,
  figuresOf,
  meanOf,
  type QualityFigures,
  type QualityLedger,
  type TeamId,
} from '@kefu/shared'
import { wholeHistory } from '../store/history'
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
  /** Each agent's own work: first responses they wrote, their handling, their ratings. */
  byAgent: Record<string, Pick<FigureSummary, 'frt' | 'aht' | 'csat'>>
  /** True when the range held more conversations than one report reads (the newest were read). */
  truncated: boolean
}

export interface QualityQuery {
  teamIds: readonly TeamId[]
  /** Conversations created in [from, to). */
  from: number
  to: number
  channel?: Channel | undefined
  /** Each team's service-level target (its answer target). */
  serviceTargetMs(teamId: string | undefined): number
}

// A report reads at most this many conversations; beyond it the figures come from the newest.
const MAX_CONVERSATIONS = 5000

/**
 * The quality figures of the conversations created in a range, recomputed from their stored
 * histories (the event log) with the rules of `conversationFacts`. Slices are merged tallies, so
 * the overall figure is weighted by volume, not the mean of the teams' means.
 */
export async function qualityReport(repo: Repository, query: QualityQuery): Promise<QualityReport> {
  const { facts: everyFacts, truncated } = await factsInRange(repo, query)
  const overall = emptyFigures()
  const byTeam = new Map<string, QualityFigures>()
  const byAgent = new Map<string, QualityFigures>()
  for (const facts of everyFacts) {
    const target = query.serviceTargetMs(facts.teamId)
    const figures = figuresOf(facts, target)
    addInto(overall, figures)
    addToTotal(byTeam, facts.teamId ?? 'none', figures)
    for (const agentId of agentsOf(facts)) addToTotal(byAgent, agentId, figuresOf(facts, target, { agentId }))
  }
  return report(query, everyFacts.length, overall, byTeam, byAgent, truncated)
}

/**
 * The facts of the conversations created in a range (of some teams, optionally one channel),
 * folded from their stored histories: at most `MAX_CONVERSATIONS`, the newest, with `truncated`.
 */
export async function factsInRange(
  repo: Repository,
  query: Pick<QualityQuery, 'teamIds' | 'from' | 'to' | 'channel'>,
): Promise<{ facts: ConversationFacts[]; truncated: boolean }> {
  const listed = await repo.listConversations({ teamIds: query.teamIds, limit: MAX_CONVERSATIONS })
  const inRange = listed.filter(
    (conversation) => conversation.createdAt >= query.from && conversation.createdAt < query.to,
  )
  const facts: ConversationFacts[] = []
  for (const conversation of inRange) {
    const found = conversationFacts(await wholeHistory(repo, conversation.id))
    if (found && (query.channel === undefined || found.channel === query.channel)) facts.push(found)
  }
  return { facts, truncated: listed.length >= MAX_CONVERSATIONS }
}

/**
 * The same report from the live ledger: the figures kept up to date as messages are stored, equal
 * to a recompute of the log (the ledger's property test, and `quality.test` on a real server).
 */
export function liveQualityReport(
  ledger: QualityLedger,
  query: Omit<QualityQuery, 'channel'>,
): QualityReport {
  const { from, to } = query
  const overall = emptyFigures()
  let conversations = 0
  const byTeam = new Map<string, QualityFigures>()
  const byAgent = new Map<string, QualityFigures>()
  for (const teamId of query.teamIds) {
    const figures = ledger.figures(`team:${teamId}`, from, to)
    conversations += ledger.count(`team:${teamId}`, from, to)
    if (ledger.count(`team:${teamId}`, from, to) > 0) byTeam.set(teamId, figures)
    addInto(overall, figures)
    for (const slice of ledger.slicesOf(`teamAgent:${teamId}:`, from, to))
      addToTotal(byAgent, slice.slice(`teamAgent:${teamId}:`.length), ledger.figures(slice, from, to))
  }
  return report(query, conversations, overall, byTeam, byAgent, false)
}

function agentsOf(facts: ConversationFacts): Set<string> {
  const agents = new Set(facts.handling.map((span) => span.agentId))
  if (facts.firstResponse) agents.add(facts.firstResponse.agentId)
  return agents
}

function report(
  query: Pick<QualityQuery, 'from' | 'to'>,
  conversations: number,
  overall: QualityFigures,
  byTeam: Map<string, QualityFigures>,
  byAgent: Map<string, QualityFigures>,
  truncated: boolean,
): QualityReport {
  return {
    from: query.from,
    to: query.to,
    conversations,
    overall: summarise(overall),
    byTeam: Object.fromEntries([...byTeam].map(([team, figures]) => [team, summarise(figures)])),
    byAgent: Object.fromEntries(
      [...byAgent].map(([agent, figures]) => {
        const { frt, aht, csat } = summarise(figures)
        return [agent, { frt, aht, csat }]
      }),
    ),
    truncated,
  }
}

function summarise(figures: QualityFigures): FigureSummary {
  const summary = {} as FigureSummary
  for (const name of Object.keys(figures) as (keyof QualityFigures)[])
    summary[name] = { value: meanOf(figures[name]) ?? null, count: figures[name].count }
  return summary
}
