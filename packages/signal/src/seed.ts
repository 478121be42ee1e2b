import { asTeamId, asUserId, type RoutingConfig } from '@kefu/shared'
import { hashPassword } from './auth/passwords'
import type { Repository, StaffRole } from './store/Repository'

/** The password of every demo account; only ever created when KEFU_DEV=1. */
export const DEMO_PASSWORD = 'kefu-demo'

/** Demo staff: enough agents to see routing, capacity and overflow at work. */
export const DEMO_STAFF: {
  login: string
  name: string
  role: StaffRole
  teams: string[]
  capacity: number
}[] = [
  { login: 'alice', name: 'Alice Wang', role: 'agent', teams: ['premium', 'general'], capacity: 3 },
  { login: 'bob', name: 'Bob Li', role: 'agent', teams: ['retention', 'general'], capacity: 3 },
  { login: 'carol', name: 'Carol Zhang', role: 'agent', teams: ['general'], capacity: 4 },
  {
    login: 'sam',
    name: 'Sam Chen',
    role: 'supervisor',
    teams: ['premium', 'retention', 'general'],
    capacity: 0,
  },
]

/** Makes the stored teams match the routing configuration, which is the source of truth for them. */
export async function syncTeams(repo: Repository, routing: RoutingConfig): Promise<void> {
  for (const team of routing.teams)
    await repo.upsertTeam({ id: team.id, name: team.name, answerTargetMs: team.answerTargetMs })
}

/**
 * Creates the demo staff once, in development, in those of their teams the routing file has (in
 * its fallback team when it has none of them). Returns the logins that exist.
 */
export async function seedDemoStaff(repo: Repository, routing: RoutingConfig): Promise<string[]> {
  let passwordHash: string | undefined
  const known = new Set(routing.teams.map((team) => team.id as string))
  for (const staff of DEMO_STAFF) {
    if (await repo.findStaffByLogin(staff.login)) continue
    // scrypt is deliberately slow: hash once, and only when an account is actually missing.
    passwordHash ??= await hashPassword(DEMO_PASSWORD)
    await repo.createStaff({
      id: asUserId(`s_${staff.login}`),
      login: staff.login,
      displayName: staff.name,
      role: staff.role,
      passwordHash,
      capacity: staff.capacity,
      teams: staff.teams.some((team) => known.has(team))
        ? staff.teams.filter((team) => known.has(team)).map(asTeamId)
        : [routing.fallbackTeam],
    })
  }
  return DEMO_STAFF.map((staff) => staff.login)
}

/** Team replies the demo starts with, inserted in the console by typing `/` and the name. */
const DEMO_CANNED_REPLIES = [
  { name: 'hello', body: '您好，我是您的专属客服，很高兴为您服务！请问有什么可以帮您？' },
  { name: 'shipping', body: '您的订单已出库，一般 1-3 天送达，物流单号可在「我的订单」中查看。' },
  { name: 'refund', body: '退款会在审核通过后 1-3 个工作日原路退回，请留意银行或支付宝/微信的到账通知。' },
  { name: 'invoice', body: '电子发票会在确认收货后 24 小时内发送到您的邮箱，也可以在订单详情里下载。' },
  { name: 'bye', body: '感谢您的耐心，祝您生活愉快！如果还有问题，随时来找我们。' },
]

/** Gives every team the demo's canned replies once, in development. */
export async function seedDemoCannedReplies(
  repo: Repository,
  newId: () => string,
  now: number,
): Promise<void> {
  for (const team of await repo.listTeams()) {
    const known = await repo.listCannedReplies(asUserId('system'), [team.id])
    for (const reply of DEMO_CANNED_REPLIES) {
      if (known.some((existing) => existing.name === reply.name && existing.teamId === team.id)) continue
      await repo.saveCannedReply({ id: `cr_${newId()}`, ownerId: null, teamId: team.id, ...reply }, now)
    }
  }
}
