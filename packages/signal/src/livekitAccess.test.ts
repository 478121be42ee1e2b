import { describe, expect, it } from 'vitest'
import type { LivekitConfig } from './config'
import { livekitAccess } from './livekitAccess'

const config = (urls: string[]): LivekitConfig => ({
  urls,
  apiKey: 'key',
  apiSecret: 'secret-secret-secret-secret-secret',
  managed: false,
  cacheDir: '/tmp',
  port: 7880,
  tokenTtlS: 600,
  hallShardCapacity: 30,
})

describe('which LiveKit node a participant is sent to', () => {
  it('names the first node that answers, and the first again once it answers again', async () => {
    let now = 0
    const down = new Set(['ws://a'])
    const asked: string[] = []
    const access = livekitAccess(
      config(['ws://a', 'ws://b']),
      () => now,
      async (url) => {
        asked.push(url)
        return !down.has(url)
      },
    )
    expect(await access.nodeUrl()).toBe('ws://b')
    // Within the time one check is believed, a burst of joins asks no node again.
    await Promise.all([access.nodeUrl(), access.nodeUrl()])
    expect(asked).toEqual(['ws://a', 'ws://b'])
    down.clear()
    now += 2_000
    expect(await access.nodeUrl()).toBe('ws://a')
  })

  it('names the first node when none answers, and never checks a single one', async () => {
    const nobody = livekitAccess(
      config(['ws://a', 'ws://b']),
      () => 0,
      async () => false,
    )
    expect(await nobody.nodeUrl()).toBe('ws://a')
    const alone = livekitAccess(
      config(['ws://only']),
      () => 0,
      async () => {
        throw new Error('a single node is not checked')
      },
    )
    expect(await alone.nodeUrl()).toBe('ws://only')
  })
})
