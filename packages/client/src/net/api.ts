import type { Message } from '@kefu/shared'

/** A session the server issued. */
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
  ) {
    super(message)
  }
}

async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  const response = await fetch(path, { ...init, headers })
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string }
  if (!response.ok) throw new ApiError(body.code ?? 'internal', body.message ?? response.statusText)
  return body as T
}

export const api = {
  guestSession: (guestName?: string) =>
    request<IssuedSession>('/api/customer/session', {
      method: 'POST',
      body: JSON.stringify(guestName ? { guestName } : {}),
    }),
  signedSession: (profile: string, signature: string) =>
    request<IssuedSession>('/api/customer/session', {
      method: 'POST',
      body: JSON.stringify({ profile, signature }),
    }),
  devSignProfile: (profile: object) =>
    request<{ profile: string; signature: string }>('/api/dev/sign-profile', {
      method: 'POST',
      body: JSON.stringify(profile),
    }),
  agentLogin: (login: string, password: string) =>
    request<IssuedSession & { role: string; teams: string[] }>('/api/agent/login', {
      method: 'POST',
      body: JSON.stringify({ login, password }),
    }),
  conversation: (token: string, conversationId: string) =>
    request<{ replyWindow?: { remaining: number; closesAt: number } }>(
      `/api/conversations/${conversationId}`,
      { token },
    ),
  teams: (token: string) => request<{ teams: { id: string; name: string }[] }>('/api/teams', { token }),
  history: (token: string, conversationId: string, before?: number) =>
    request<{ messages: Message[]; hasMore: boolean }>(
      `/api/conversations/${conversationId}/messages${before ? `?before=${before}` : ''}`,
      { token },
    ),
  voiceToken: (token: string, conversationId: string) =>
    request<{ url: string; token: string }>(`/api/conversations/${conversationId}/voice-token`, {
      method: 'POST',
      token,
    }),
}
