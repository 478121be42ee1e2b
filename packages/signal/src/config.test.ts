import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config'

describe('configuration', () => {
  it('has working defaults in development', () => {
    const config = loadConfig({ KEFU_DEV: '1' })
    expect(config).toMatchObject({ port: 8080, offlineRetentionMs: 72 * 3600_000, maxFrameBytes: 65536 })
    expect(config.routing.teams.map((team) => team.id)).toEqual(['premium', 'retention', 'general'])
  })

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ KEFU_DEV: '1', PORT: 'eighty' })).toThrow(/^PORT: /)
    expect(() => loadConfig({ KEFU_DEV: '1', OFFLINE_RETENTION_HOURS: '-1' })).toThrow(
      /^OFFLINE_RETENTION_HOURS: /,
    )
    expect(() => loadConfig({ KEFU_DEV: '1', ROUTING_CONFIG_FILE: '/no/such/file.json' })).toThrow(
      /^ROUTING_CONFIG_FILE: /,
    )
  })

  it('takes one LiveKit URL or a cluster’s nodes, comma-separated, and refuses one that is not a socket URL', () => {
    expect(loadConfig({ KEFU_DEV: '1', LIVEKIT_URL: 'ws://127.0.0.1:7880' }).livekit?.urls).toEqual([
      'ws://127.0.0.1:7880',
    ])
    expect(
      loadConfig({ KEFU_DEV: '1', LIVEKIT_URL: 'wss://a.example.com, wss://b.example.com' }).livekit?.urls,
    ).toEqual(['wss://a.example.com', 'wss://b.example.com'])
    expect(() => loadConfig({ KEFU_DEV: '1', LIVEKIT_URL: 'ws://a,http://b' })).toThrow(/^LIVEKIT_URL/)
  })

  it('reads the product catalogue from a file, and refuses one with a bad product', () => {
    const folder = mkdtempSync(join(tmpdir(), 'kefu-catalogue-'))
    const good = join(folder, 'good.json')
    const product = {
      id: 'tea-1',
      name: '龙井',
      priceMinor: 8800,
      link: 'https://shop.example.com/tea',
      shape: 'speaker',
    }
    writeFileSync(good, JSON.stringify([product]))
    expect(loadConfig({ KEFU_DEV: '1', PRODUCT_CATALOGUE_FILE: good }).products).toEqual([
      { ...product, currency: 'CNY', colour: '#4fd8ff', blurb: '' },
    ])
    expect(loadConfig({ KEFU_DEV: '1' }).products.map((p) => p.shape)).toEqual([
      'phone',
      'headphones',
      'watch',
      'speaker',
      'laptop',
    ])
    const bad = join(folder, 'bad.json')
    writeFileSync(bad, JSON.stringify([{ ...product, id: 'has spaces' }]))
    expect(() => loadConfig({ KEFU_DEV: '1', PRODUCT_CATALOGUE_FILE: bad })).toThrow(
      /^PRODUCT_CATALOGUE_FILE: /,
    )
  })

  it('lets any page embed the chat only in development, and checks the listed origins', () => {
    expect(loadConfig({ KEFU_DEV: '1' }).embedOrigins).toBe('*')
    const secrets = { SESSION_SECRET: 's'.repeat(32), APP_SECRET: 'a'.repeat(16) }
    expect(loadConfig(secrets).embedOrigins).toEqual([])
    expect(
      loadConfig({ ...secrets, EMBED_ORIGINS: 'https://shop.example.com, https://m.shop.example.com' })
        .embedOrigins,
    ).toEqual(['https://shop.example.com', 'https://m.shop.example.com'])
    expect(() => loadConfig({ ...secrets, EMBED_ORIGINS: 'https://shop.example.com/path' })).toThrow(
      /^EMBED_ORIGINS: /,
    )
  })

  it('refuses to run outside development without real secrets', () => {
    expect(() => loadConfig({})).toThrow(ConfigError)
    expect(() => loadConfig({})).toThrow(/^SESSION_SECRET: /)
  })

  it('stops the server at start with a message naming the variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, KEFU_DEV: '1', MAX_FRAME_BYTES: 'lots' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('kefu3d cannot start: MAX_FRAME_BYTES')
  })
})
