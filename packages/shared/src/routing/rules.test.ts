import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { asTeamId } from '../ids'
import { DEFAULT_ROUTING_CONFIG, RoutingConfigSchema, selectTeam } from './rules'

const DAY_MS = 86_400_000
const NOW = Date.UTC(2026, 10, 26)
const traits = (vipLevel: number, lastPurchaseAt: number | null) => ({
  vipLevel,
  lastPurchaseAt,
  channel: 'web',
})

describe('team selection with the default rules', () => {
  it('sends VIP level 4 and above to premium', () => {
    expect(selectTeam(DEFAULT_ROUTING_CONFIG, traits(4, null), NOW)).toBe('premium')
    expect(selectTeam(DEFAULT_ROUTING_CONFIG, traits(3, null), NOW)).toBe('general')
  })

  it('sends a purchase within 7 days to retention', () => {
    expect(selectTeam(DEFAULT_ROUTING_CONFIG, traits(0, NOW - 6 * DAY_MS), NOW)).toBe('retention')
    expect(selectTeam(DEFAULT_ROUTING_CONFIG, traits(0, NOW - 7 * DAY_MS), NOW)).toBe('general')
  })

  it('gives premium a 15 second answer target', () => {
    expect(DEFAULT_ROUTING_CONFIG.teams.find((team) => team.id === 'premium')?.answerTargetMs).toBe(15_000)
  })

  it('always follows the article: VIP > 3 first, then recent purchase, else general', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.option(fc.integer({ min: 0, max: 60 * DAY_MS }), { nil: null }),
        (vipLevel, ageMs) => {
          const lastPurchaseAt = ageMs === null ? null : NOW - ageMs
          const expected =
            vipLevel > 3 ? 'premium' : ageMs !== null && ageMs < 7 * DAY_MS ? 'retention' : 'general'
          expect(selectTeam(DEFAULT_ROUTING_CONFIG, traits(vipLevel, lastPurchaseAt), NOW)).toBe(expected)
        },
      ),
    )
  })

  it('routes by channel and language when configured', () => {
    const config = RoutingConfigSchema.parse({
      ...DEFAULT_ROUTING_CONFIG,
      teams: [...DEFAULT_ROUTING_CONFIG.teams, { id: 'english', name: 'English', answerTargetMs: 60_000 }],
      rules: [
        { team: 'english', when: { languages: ['en'], channels: ['web'] } },
        ...DEFAULT_ROUTING_CONFIG.rules,
      ],
    })
    expect(selectTeam(config, { ...traits(0, null), language: 'en' }, NOW)).toBe('english')
    expect(selectTeam(config, { ...traits(0, null), language: 'en', channel: 'wechat' }, NOW)).toBe('general')
  })

  it('refuses a configuration that names an unknown team', () => {
    const parsed = RoutingConfigSchema.safeParse({
      ...DEFAULT_ROUTING_CONFIG,
      fallbackTeam: asTeamId('nobody'),
    })
    expect(parsed.success).toBe(false)
  })
})
