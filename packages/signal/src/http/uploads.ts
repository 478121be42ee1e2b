import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ErrorCode, KefuError } from '@kefu/shared'
import express, { type Request, type RequestHandler, type Router } from 'express'

/** Media a chat may carry, recognised by their first bytes, never by what the client claims. */
const MEDIA = [
  { ext: 'jpg', mime: 'image/jpeg', matches: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    ext: 'png',
    mime: 'image/png',
    matches: (b: Buffer) =>
      b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    ext: 'webp',
    mime: 'image/webp',
    matches: (b: Buffer) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
  },
  // AAC in ADTS frames (what mini-program recorders write) and MPEG-4 audio (m4a).
  { ext: 'aac', mime: 'audio/aac', matches: (b: Buffer) => b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0 },
  { ext: 'm4a', mime: 'audio/mp4', matches: (b: Buffer) => b.toString('latin1', 4, 8) === 'ftyp' },
  {
    ext: 'mp3',
    mime: 'audio/mpeg',
    matches: (b: Buffer) =>
      b.toString('latin1', 0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  },
] as const

const NAME = /^[0-9a-f]{32}\.(jpg|png|webp|aac|m4a|mp3)$/
const mimeOf = (name: string) =>
  MEDIA.find((media) => name.endsWith(`.${media.ext}`))?.mime ?? 'application/octet-stream'

/**
 * `POST /api/uploads` takes an image or a voice note as the raw body and answers its URL;
 * `GET /uploads/:name` serves it. Names are 128 random bits: the URL itself is the capability,
 * as with the signed URLs of object stores, so chat media can be shown without a token.
 */
export function uploadRoutes(options: {
  dataDir: string
  maxBytes: number
  publicUrl: string | undefined
  authenticate: (request: Request) => Promise<unknown>
  limit: RequestHandler
}): Router {
  const folder = join(options.dataDir, 'uploads')
  mkdirSync(folder, { recursive: true })
  const router = express.Router()
  router.post(
    '/api/uploads',
    options.limit,
    express.raw({ type: () => true, limit: options.maxBytes }),
    (request, response, next) => {
      options
        .authenticate(request)
        .then(() => {
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
          const media = MEDIA.find((candidate) => candidate.matches(body))
          if (body.length === 0 || !media)
            throw new KefuError(
              ErrorCode.BadRequest,
              'Only JPEG, PNG, WebP images and AAC, M4A, MP3 audio are accepted',
            )
          const name = `${randomUUID().replaceAll('-', '')}.${media.ext}`
          writeFileSync(join(folder, name), body)
          const base = options.publicUrl ?? `${request.protocol}://${request.get('host')}`
          response.json({ url: `${base}/uploads/${name}`, mime: media.mime, bytes: body.length })
        })
        .catch(next)
    },
  )
  router.get('/uploads/:name', (request, response, next) => {
    const name = request.params.name ?? ''
    if (!NAME.test(name)) return next(KefuError.notFound('File'))
    response.sendFile(
      join(folder, name),
      { headers: { 'content-type': mimeOf(name) }, maxAge: '365d', immutable: true },
      (error) => {
        if (error) next(KefuError.notFound('File'))
      },
    )
  })
  return router
}
