import { z } from 'zod'
import { TeamIdSchema, UserIdSchema } from '../ids'
import { DASHBOARD_FIGURES } from '../metrics/qualityFigures'

/** A figure: its mean (or share), null when nothing was measured, and how many it is taken over. */
export const FigureValueSchema = z.object({
  value: z.number().nullable(),
  count: z.number().int().nonnegative(),
})
export type FigureValue = z.infer<typeof FigureValueSchema>

const figureRecord = z.record(z.enum(DASHBOARD_FIGURES), FigureValueSchema)
const points = z.array(z.number().nullable())

/** One tile: the window's figure, the window before's (for the change), and a sparkline. */
export const DashboardTileSchema = z.object({
  now: FigureValueSchema,
  previous: FigureValueSchema,
  spark: points,
})

export const AlertSchema = z.object({
  id: z.string(),
  /**
   * `threshold` for a configured limit, `anomaly` for a break from the recent baseline, `emotion`
   * for one angry customer (the conversation id is in `conversationId`).
   */
  kind: z.enum(['threshold', 'anomaly', 'emotion']),
  conversationId: z.string().optional(),
  figure: z.string(),
  teamId: TeamIdSchema.nullable(),
  value: z.number(),
  /** The limit crossed, or the baseline departed from. */
  limit: z.number(),
  message: z.string(),
  raisedAt: z.number(),
  acknowledgedAt: z.number().nullable(),
  acknowledgedBy: UserIdSchema.nullable(),
})
export type Alert = z.infer<typeof AlertSchema>

/** What the supervisor dashboard shows; pushed live over the socket and served at `GET /api/dashboard`. */
export const DashboardSnapshotSchema = z.object({
  at: z.number(),
  windowMs: z.number().int().positive(),
  tiles: z.record(z.enum(DASHBOARD_FIGURES), DashboardTileSchema),
  /** Delivery latency (ms) beside the delivery rate. */
  deliveryLatency: FigureValueSchema,
  teams: z.array(
    z.object({ teamId: TeamIdSchema, name: z.string(), queue: z.number().int(), figures: figureRecord }),
  ),
  agents: z.array(
    z.object({
      agentId: UserIdSchema,
      name: z.string(),
      status: z.enum(['available', 'away', 'offline']),
      load: z.number().int(),
      capacity: z.number().int(),
      frt: FigureValueSchema,
      aht: FigureValueSchema,
      csat: FigureValueSchema,
    }),
  ),
  /** Time series over the window, one point per step, for each team. */
  series: z.object({
    at: z.array(z.number()),
    byTeam: z.record(
      z.string(),
      z.object({ frt: points, serviceLevel: points, queue: points, csat: points }),
    ),
    /** Of the customer messages written in each step, the share read as each emotion. */
    emotion: z.object({ anger: points, anxiety: points, sadness: points, satisfaction: points }),
  }),
  alerts: z.array(AlertSchema),
})
export type DashboardSnapshot = z.infer<typeof DashboardSnapshotSchema>

/** `POST /api/alerts/:id/ack`. */
export const AlertAckReplySchema = z.object({ alert: AlertSchema })

const EstimateSchema = z.object({ value: z.number(), low: z.number(), high: z.number(), n: z.number() })
const ComparisonSchema = z.object({
  a: EstimateSchema.optional(),
  b: EstimateSchema.optional(),
  difference: EstimateSchema.optional(),
  p: z.number().optional(),
  verdict: z.enum(['too_small', 'significant', 'not_significant']),
})
/** `GET /api/experiments`: each experiment's two variants compared on FRT, CSAT and FCR. */
export const ExperimentsReplySchema = z.object({
  from: z.number(),
  to: z.number(),
  experiments: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      active: z.boolean(),
      variants: z.array(z.object({ id: z.string(), conversations: z.number() })),
      frt: ComparisonSchema,
      csat: ComparisonSchema,
      fcr: ComparisonSchema,
      truncated: z.boolean(),
    }),
  ),
})
export type ExperimentsReply = z.infer<typeof ExperimentsReplySchema>
