import {
  AlertAckReplySchema,
  CannedRepliesReplySchema,
  CannedReplySchema,
  ConversationDetailReplySchema,
  CustomerSessionReplySchema,
  DashboardSnapshotSchema,
  EmbeddingReplySchema,
  ErrorReplySchema,
  ExperimentsReplySchema,
  HallStateReplySchema,
  HallTokenReplySchema,
  HistoryPageReplySchema,
  KnowledgeAskReplySchema,
  type KnowledgeEntry,
  KnowledgeImportReplySchema,
  KnowledgeListReplySchema,
  KnowledgeRecordReplySchema,
  KnowledgeReviewSchema,
  type KnowledgeStatus,
  PlaybookSwitchReplySchema,
  PlaybooksReplySchema,
  ProductsReplySchema,
  SignedProfileReplySchema,
  StaffingReplySchema,
  StaffLoginReplySchema,
  TeamsReplySchema,
  VoiceTokenReplySchema,
} from '@kefu/shared'
import { z } from 'zod'

/** A session the server issued (a customer's or a staff member's). */
export interface IssuedSession {
  token: string
  userId: string
  displayName: string
}

/** An API failure with the server's stable code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The whole refusal, for the answers that say more (an import's bad lines). */
    readonly reply?: unknown,
  ) {
    super(message)
  }
}

// Every answer is parsed with its schema from @kefu/shared: a server of another version, or a
// proxy's error page, is an error here, not a half-read object deep in a component.
async function request<S extends z.ZodType>(
  path: string,
  schema: S,
  init: RequestInit & { token?: string } = {},
): Promise<z.output<S>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  const response = await fetch(path, { ...init, headers })
  const body: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    const refusal = ErrorReplySchema.safeParse(body)
    throw refusal.success
      ? new ApiError(refusal.data.code, refusal.data.message, body)
      : new ApiError('internal', response.statusText)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw new ApiError('bad_frame', `Unexpected answer from ${path}`)
  return parsed.data
}

const post = (body: unknown, token?: string) => ({
  method: 'POST',
  body: JSON.stringify(body),
  ...(token ? { token } : {}),
})

export const api = {
  guestSession: (guestName?: string) =>
    request('/api/customer/session', CustomerSessionReplySchema, post(guestName ? { guestName } : {})),
  signedSession: (profile: string, signature: string) =>
    request('/api/customer/session', CustomerSessionReplySchema, post({ profile, signature })),
  embedding: () => request('/api/embedding', EmbeddingReplySchema),
  devSignProfile: (profile: object) =>
    request('/api/dev/sign-profile', SignedProfileReplySchema, post(profile)),
  agentLogin: (login: string, password: string) =>
    request('/api/agent/login', StaffLoginReplySchema, post({ login, password })),
  conversation: (token: string, conversationId: string) =>
    request(`/api/conversations/${conversationId}`, ConversationDetailReplySchema, { token }),
  teams: (token: string) => request('/api/teams', TeamsReplySchema, { token }),
  history: (token: string, conversationId: string, before?: number) =>
    request(
      `/api/conversations/${conversationId}/messages${before ? `?before=${before}` : ''}`,
      HistoryPageReplySchema,
      { token },
    ),
  hallToken: (token: string) => request('/api/hall/token', HallTokenReplySchema, post({}, token)),
  hallState: (token: string) => request('/api/hall/state', HallStateReplySchema, { token }),
  products: (token: string) => request('/api/products', ProductsReplySchema, { token }),
  cannedReplies: (token: string) => request('/api/canned-replies', CannedRepliesReplySchema, { token }),
  saveCannedReply: (token: string, reply: { name: string; body: string; teamId?: string }) =>
    request('/api/canned-replies', z.object({ reply: CannedReplySchema }), post(reply, token)),
  staffing: (token: string, query: Record<string, string | number>) =>
    request(
      `/api/staffing?${new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]))}`,
      StaffingReplySchema,
      { token },
    ),
  experiments: (token: string, days = 28) =>
    request(`/api/experiments?days=${days}`, ExperimentsReplySchema, { token }),
  dashboard: (token: string, windowMs: number) =>
    request(`/api/dashboard?windowMs=${windowMs}`, DashboardSnapshotSchema, { token }),
  acknowledgeAlert: (token: string, alertId: string) =>
    request(`/api/alerts/${encodeURIComponent(alertId)}/ack`, AlertAckReplySchema, post({}, token)),
  askKnowledge: (token: string, q: string, k = 3) =>
    request('/api/knowledge/ask', KnowledgeAskReplySchema, post({ q, k }, token)),
  knowledge: (token: string) => request('/api/knowledge', KnowledgeListReplySchema, { token }),
  knowledgeReview: (token: string) => request('/api/knowledge/review', KnowledgeReviewSchema, { token }),
  saveKnowledge: (token: string, entry: KnowledgeEntry, status?: KnowledgeStatus) =>
    request(`/api/knowledge/${encodeURIComponent(entry.id)}`, KnowledgeRecordReplySchema, {
      method: 'PUT',
      body: JSON.stringify(status ? { entry, status } : { entry }),
      token,
    }),
  setKnowledgeStatus: (token: string, id: string, status: KnowledgeStatus) =>
    request(
      `/api/knowledge/${encodeURIComponent(id)}/status`,
      KnowledgeRecordReplySchema,
      post({ status }, token),
    ),
  importKnowledge: (token: string, format: 'jsonl' | 'markdown', text: string) =>
    request('/api/knowledge/import', KnowledgeImportReplySchema, post({ format, text }, token)),
  playbooks: (token: string) => request('/api/playbooks', PlaybooksReplySchema, { token }),
  activatePlaybook: (token: string, id: string) =>
    request(`/api/playbooks/${encodeURIComponent(id)}/activate`, PlaybookSwitchReplySchema, post({}, token)),
  deactivatePlaybook: (token: string) =>
    request('/api/playbooks/deactivate', PlaybookSwitchReplySchema, post({}, token)),
  voiceToken: (token: string, conversationId: string) =>
    request(`/api/conversations/${conversationId}/voice-token`, VoiceTokenReplySchema, post({}, token)),
}
