import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MEDIA_FORMATS } from './mediaFormats'

// Small real files: the images encoded by Chromium, the audio built frame by frame as recorders write it.
const fixture = (ext: string) => readFileSync(join(__dirname, '../../fixtures/media', `tiny.${ext}`))

describe('media formats', () => {
  for (const format of MEDIA_FORMATS) {
    describe(format.mime, () => {
      const file = fixture(format.ext)

      it('accepts a well-formed file', () => expect(format.isWellFormed(file)).toBe(true))

      it('refuses the file cut short, by a byte or by half', () => {
        expect(format.isWellFormed(file.subarray(0, file.length - 1))).toBe(false)
        expect(format.isWellFormed(file.subarray(0, file.length >> 1))).toBe(false)
      })

      it('refuses its own first bytes followed by a script', () => {
        const polyglot = Buffer.concat([file.subarray(0, 16), Buffer.from('<script>alert(1)</script>')])
        expect(format.isWellFormed(polyglot)).toBe(false)
      })

      it('refuses every other accepted type as this one', () => {
        for (const other of MEDIA_FORMATS.filter((candidate) => candidate !== format))
          expect(format.isWellFormed(fixture(other.ext)), other.mime).toBe(false)
      })

      it('refuses an empty body', () => expect(format.isWellFormed(Buffer.alloc(0))).toBe(false))
    })
  }

  it('notices a PNG chunk whose checksum does not match', () => {
    const png = Buffer.from(fixture('png'))
    png[20] = (png[20] ?? 0) ^ 0xff
    expect(MEDIA_FORMATS.find((format) => format.ext === 'png')?.isWellFormed(png)).toBe(false)
  })
})
