import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { asUserId, type Clock, ErrorCode, KefuError } from '@kefu/shared'
import express, { type Request, type RequestHandler, type Router } from 'express'
import type { Session } from '../auth/sessionTokens'
import type { MediaRepository } from '../store/Repository'
import { MEDIA_FORMATS } from './mediaFormats'
import type { RateLimiter } from './rateLimit'
import { route } from './requests'

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
 * claims, and answers its URL; `GET /uploads/:name` serves it, from the store, so any node serves
 * what any node took. The caller's token and rate are checked before a byte of the body is read.
 * Names are 128 random bits: the URL itself is the capability, as with the signed URLs of object
 * stores, so chat media can be shown without a token. A name's bytes never change, so browsers and
 * proxies keep them for a year and the store is read about once per viewer.
 */
export function uploadRoutes(options: {
  repo: MediaRepository
  clock: Clock
  maxBytes: number
  publicUrl: string | undefined
  authenticate: (request: Request) => Promise<Session>
  limiter: RateLimiter
}): Router {
  const { repo } = options
  const router = express.Router()
  const admit: RequestHandler = (request, response, next) => {
    options
      .authenticate(request)
      .then(async (session) => {
        await options.limiter.take(session.userId)
        response.locals.uploader = session.userId
      })
      .then(() => next(), next)
  }
  router.post(
    '/api/uploads',
    admit,
    express.raw({ type: () => true, limit: options.maxBytes }),
    route(async (request, response) => {
      const claimed = (request.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
      const format = MEDIA_FORMATS.find((candidate) => candidate.mime === (MIME_ALIASES[claimed] ?? claimed))
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      if (!format?.isWellFormed(body)) throw new KefuError(ErrorCode.BadRequest, ACCEPTED)
      const name = `${randomUUID().replaceAll('-', '')}.${format.ext}`
      await repo.saveMedia({
        name,
        mime: format.mime,
        bytes: body,
        uploadedBy: response.locals.uploader,
        uploadedAt: options.clock.now(),
      })
      const base = options.publicUrl ?? `${request.protocol}://${request.get('host')}`
      response.json({ url: `${base}/uploads/${name}`, mime: format.mime, bytes: body.length })
    }),
  )
  router.get(
    '/uploads/:name',
    route(async (request, response) => {
      const name = String(request.params.name ?? '')
      const media = NAME.test(name) ? await repo.readMedia(name) : undefined
      if (!media) throw KefuError.notFound('File')
      const bytes = Buffer.from(media.bytes.buffer, media.bytes.byteOffset, media.bytes.byteLength)
      response.setHeader('Content-Security-Policy', UPLOAD_CSP)
      response.setHeader('Cache-Control', 'public, max-age=31536000, immutable')
      response.setHeader('Accept-Ranges', 'bytes')
      response.type(media.mime)
      // Safari plays a voice note only from a server that answers byte ranges.
      const ranges = request.range(bytes.length, { combine: true })
      const range =
        Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0] : undefined
      if (ranges === -1) {
        response.setHeader('Content-Range', `bytes */${bytes.length}`)
        response.status(416).end()
      } else if (range) {
        response.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${bytes.length}`)
        response.status(206).send(bytes.subarray(range.start, range.end + 1))
      } else response.send(bytes)
    }),
  )
  return router
}

/**
 * Moves the files a node kept in its data folder's `uploads/` (before uploads were stored) into
 * the store, so their URLs keep working on every node. Each file is removed once stored.
 */
export async function importUploadFolder(
  dataDir: string,
  repo: MediaRepository,
  now: number,
): Promise<number> {
  const folder = join(dataDir, 'uploads')
  if (!existsSync(folder)) return 0
  let imported = 0
  for (const name of readdirSync(folder)) {
    const format = NAME.test(name) && MEDIA_FORMATS.find((candidate) => name.endsWith(`.${candidate.ext}`))
    if (!format) continue
    const path = join(folder, name)
    if (!(await repo.readMedia(name))) {
      const bytes = readFileSync(path)
      await repo.saveMedia({
        name,
        mime: format.mime,
        bytes,
        uploadedBy: asUserId('system'),
        uploadedAt: now,
      })
      imported++
    }
    rmSync(path)
  }
  if (readdirSync(folder).length === 0) rmSync(folder, { recursive: true })
  return imported
}
