import type { RequestHandler } from 'express'
import helmet from 'helmet'
import type { Config } from '../config'

/** The one page other sites may frame: the customer chat, as the web widget embeds it. */
const CHAT_FRAME_PATH = '/chat'

/**
 * Security headers on every response (helmet): a CSP with no inline script or eval, nosniff, no
 * referrer, and framing denied everywhere but the chat frame, which only the configured embedding
 * origins may frame. The web client is built to need nothing more: a test loads every page under it.
 */
export function securityHeaders(config: Config): RequestHandler[] {
  const livekitOrigins = config.livekit?.urls.flatMap(mediaServerOrigins) ?? []
  const publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : undefined
  const isHttps = config.publicUrl?.startsWith('https://') ?? false
  const embedders = config.embedOrigins === '*' ? ['*'] : [...config.embedOrigins]
  const isChatFrame = (path: string) => path === CHAT_FRAME_PATH || path.startsWith(`${CHAT_FRAME_PATH}/`)

  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React and the 3D hall set styles through the DOM (allowed); no style element or attribute
        // arrives inline in the HTML.
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(publicOrigin ? [publicOrigin] : [])],
        mediaSrc: ["'self'", 'blob:', ...(publicOrigin ? [publicOrigin] : [])],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...livekitOrigins],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: [
          (request) =>
            isChatFrame(new URL(request.url ?? '/', 'http://x').pathname)
              ? ["'self'", ...embedders].join(' ')
              : "'none'",
        ],
        ...(isHttps ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // frame-ancestors says it for browsers that read CSP; the old header for those that do not.
    xFrameOptions: false,
    strictTransportSecurity: isHttps ? { maxAge: 180 * 24 * 60 * 60 } : false,
    referrerPolicy: { policy: 'no-referrer' },
    // The widget's script is loaded by the integrator's pages, from another origin.
    crossOriginResourcePolicy: false,
  })
  const framingAndResources: RequestHandler = (request, response, next) => {
    if (!isChatFrame(request.path)) response.setHeader('X-Frame-Options', 'DENY')
    response.setHeader(
      'Cross-Origin-Resource-Policy',
      request.path === '/widget.js' ? 'cross-origin' : 'same-origin',
    )
    next()
  }
  return [headers, framingAndResources]
}

/** A LiveKit URL's WebSocket origin and the HTTP(S) origin its client also calls. */
function mediaServerOrigins(url: string): string[] {
  const ws = new URL(url)
  const http = new URL(url)
  http.protocol = ws.protocol === 'wss:' ? 'https:' : 'http:'
  return [ws.origin, http.origin]
}
