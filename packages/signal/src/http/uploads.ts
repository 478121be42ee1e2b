import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ErrorCode, KefuError } from '@kefu/shared'
import express, { type Request, type RequestHandler, type Router } from 'express'
import type { Session } from '../auth/sessionTokens'
import { MEDIA_FORMATS } from './mediaFormats'
import type { RateLimiter } from './rateLimit'

const NAME = new RegExp(`^[0-9a-f]{32}\\.(${MEDIA_FORMATS.map((format) => format.ext).join('|')})$`)
// What platforms call the same types (a mini-program's file extension says jpg, m4a, mp3).
const MIME_ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'audio/x-aac': 'audio/aac',
  'audio/m4a': 'audio/mp4',
  'audio/x-m4a': 'audio/mp4',
  'audio/mp3': 'audio/mpeg',
}
const ACCEPTED = 'Only JPEG, PNG, WebP images and AAC, M4A, MP3 audio are accepted'
// Uploaded files are shown, never run: even opened on their own they may load and do nothing.
const UPLOAD_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"

/**
 * `POST /api/uploads` takes an image or a voice note as the raw body, of the type its Content-Type
 * claims, and answers its URL; `GET /uploads/:name` serves it. The caller's token and rate are
 * checked before a byte of the body is read. Names are 128 random bits: the URL itself is the
 * capability, as with the signed URLs of object stores, so chat media can be shown without a token.
 */
export function uploadRoutes(options: {
  dataDir: string
  maxBytes: number
  publicUrl: string | undefined
  authenticate: (request: Request) => Promise<Session>
  limiter: RateLimiter
}): Router {
  const folder = join(options.dataDir, 'uploads')
  mkdirSync(folder, { recursive: true })
  const router = express.Router()
  const admit: RequestHandler = (request, _response, next) => {
    options
      .authenticate(request)
      .then((session) => options.limiter.take(session.userId))
      .then(() => next(), next)
  }
  router.post(
    '/api/uploads',
    admit,
    express.raw({ type: () => true, limit: options.maxBytes }),
    (request, response) => {
      const claimed = (request.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
      const format = MEDIA_FORMATS.find((candidate) => candidate.mime === (MIME_ALIASES[claimed] ?? claimed))
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      if (!format?.isWellFormed(body)) throw new KefuError(ErrorCode.BadRequest, ACCEPTED)
      const name = `${randomUUID().replaceAll('-', '')}.${format.ext}`
      writeFileSync(join(folder, name), body)
      const base = options.publicUrl ?? `${request.protocol}://${request.get('host')}`
      response.json({ url: `${base}/uploads/${name}`, mime: format.mime, bytes: body.length })
    },
  )
  router.get('/uploads/:name', (request, response, next) => {
    const name = request.params.name ?? ''
    const format = NAME.test(name) && MEDIA_FORMATS.find((candidate) => name.endsWith(`.${candidate.ext}`))
    if (!format) return next(KefuError.notFound('File'))
    response.setHeader('Content-Security-Policy', UPLOAD_CSP)
    response.sendFile(
      join(folder, name),
      { headers: { 'content-type': format.mime }, maxAge: '365d', immutable: true },
      (error) => {
        if (error) next(KefuError.notFound('File'))
      },
    )
  })
  return router
}
