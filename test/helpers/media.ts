import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../packages/signal/fixtures/media')

/** A small, well-formed PNG (4×4, encoded by Chromium). */
export const TINY_PNG = readFileSync(join(FIXTURES, 'tiny.png'))

/** Three AAC frames in ADTS framing, as mini-program recorders write them. */
export const TINY_AAC = readFileSync(join(FIXTURES, 'tiny.aac'))
