import type { AddressInfo } from 'node:net'
import express from 'express'
import { describe, expect, it } from 'vitest'
import { createMetrics } from '../metrics/prometheus'
import type { Repository } from '../store/Repository'
import { errorHandler } from './errors'
import { operationsRoutes } from './operationsRoutes'

async function scrape(options: { isDev: boolean; metricsToken?: string }, authorization?: string) {
  const app = express()
  app.use(
    operationsRoutes({
      repo: {} as Repository,
      metrics: createMetrics(),
      metricsToken: options.metricsToken,
      isDev: options.isDev,
    }),
  )
  app.use(errorHandler({ debug() {}, info() {}, warn() {}, error() {} }))
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  try {
    const { port } = server.address() as AddressInfo
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: authorization ? { authorization } : {},
    })
    return response.status
  } finally {
    server.close()
  }
}

describe('/metrics', () => {
  it('is closed outside development unless a scrape token is set, and then wants it', async () => {
    expect(await scrape({ isDev: false })).toBe(401)
    expect(await scrape({ isDev: true })).toBe(200)
    const metricsToken = 'scrape-token-0123456789'
    expect(await scrape({ isDev: false, metricsToken })).toBe(401)
    expect(await scrape({ isDev: false, metricsToken }, `Bearer ${metricsToken}`)).toBe(200)
  })
})
