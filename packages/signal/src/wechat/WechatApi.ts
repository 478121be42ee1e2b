import { type Clock, ErrorCode, KefuError, type Logger } from '@kefu/shared'
import { z } from 'zod'
import type { Locks } from '../ports/Locks'
import type { DeliveryRepository, UpstreamToken } from '../store/Repository'

const TokenResponse = z.object({ access_token: z.string(), expires_in: z.number() })
const ApiResponse = z.object({ errcode: z.number().default(0), errmsg: z.string().default('') })

// errcodes from WeChat's API reference: the token is stale, the platform is busy, the window is gone.
const TOKEN_ERRORS = new Set([40001, 40014, 42001])
const BUSY = -1
const WINDOW_ERRORS = new Set([45015, 45047])
const RETRY_DELAYS_MS = [200, 800, 2000]
// Refresh before WeChat expires the token (7200 s), so a send never races the expiry.
const TOKEN_MARGIN_MS = 5 * 60 * 1000
const TOKEN_NAME = 'wechat'

/**
 * WeChat's server API for customer-service replies: retried sends, and one access token for every
 * node. A token fetched makes WeChat retire the one before, so the token is kept in the store, and
 * a node that finds it stale refreshes under a lock that every node takes (`Locks`): the others
 * then read the one it fetched.
 */
export class WechatApi {
  /** This node's copy of the stored token. */
  private token: UpstreamToken | undefined
  private refreshing: Promise<string> | undefined

  constructor(
    private readonly options: {
      apiBase: string
      appId: string
      appSecret: string
      repo: Pick<DeliveryRepository, 'readUpstreamToken' | 'saveUpstreamToken' | 'forgetUpstreamToken'>
      locks: Locks
      clock: Clock
      logger: Logger
    },
  ) {}

  /** Sends a text reply to a user (by openid), retrying what WeChat says is transient. */
  async sendText(openId: string, content: string): Promise<void> {
    const body = JSON.stringify({ touser: openId, msgtype: 'text', text: { content } })
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken()
      const result = await this.call('/cgi-bin/message/custom/send', token, body).catch((error: unknown) => ({
        errcode: BUSY,
        errmsg: String(error),
      }))
      if (result.errcode === 0) return
      if (WINDOW_ERRORS.has(result.errcode))
        throw new KefuError(ErrorCode.ReplyWindowClosed, `WeChat refused the reply: ${result.errmsg}`)
      if (TOKEN_ERRORS.has(result.errcode)) await this.forget(token)
      const delay = RETRY_DELAYS_MS[attempt]
      if (delay === undefined)
        throw new KefuError(
          ErrorCode.Internal,
          `WeChat did not take the reply: ${result.errcode} ${result.errmsg}`,
        )
      this.options.logger.warn({ errcode: result.errcode, attempt }, 'retrying a WeChat send')
      await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, delay))
    }
  }

  private async call(path: string, token: string, body: string): Promise<z.infer<typeof ApiResponse>> {
    const response = await fetch(`${this.options.apiBase}${path}?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    return ApiResponse.parse(await response.json())
  }

  /** One token for everyone, fetched once even when many sends at many nodes ask at the same moment. */
  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.options.clock.now()) return this.token.value
    this.refreshing ??= this.options.locks
      .run(`upstream-token:${TOKEN_NAME}`, async () => {
        const stored = await this.options.repo.readUpstreamToken(TOKEN_NAME)
        this.token = stored && stored.expiresAt > this.options.clock.now() ? stored : await this.fetchToken()
        return this.token.value
      })
      .finally(() => {
        this.refreshing = undefined
      })
    return this.refreshing
  }

  /** WeChat said the token is stale: no node uses it again, unless another already replaced it. */
  private async forget(token: string): Promise<void> {
    if (this.token?.value === token) this.token = undefined
    await this.options.repo.forgetUpstreamToken(TOKEN_NAME, token)
  }

  private async fetchToken(): Promise<UpstreamToken> {
    const { apiBase, appId, appSecret } = this.options
    const url = `${apiBase}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(appSecret)}`
    const parsed = TokenResponse.safeParse(await (await fetch(url)).json())
    if (!parsed.success) throw new KefuError(ErrorCode.Internal, 'WeChat did not issue an access token')
    const { access_token: value, expires_in: expiresInS } = parsed.data
    const token = { value, expiresAt: this.options.clock.now() + expiresInS * 1000 - TOKEN_MARGIN_MS }
    await this.options.repo.saveUpstreamToken(TOKEN_NAME, token)
    return token
  }
}
