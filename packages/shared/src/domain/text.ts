import { z } from 'zod'

// A lone UTF-16 surrogate: half of a character, which no UTF-8 store or wire can carry.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
// What shows nothing: whitespace, zero-width characters, controls and format characters.
const INVISIBLE = /[\s\p{Cc}\p{Cf}]/gu

/** True when `text` is whole Unicode (no lone surrogates). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text)
}

/**
 * U+0000: PostgreSQL's text cannot hold it (SQLite can, so the stores would differ), and nobody
 * types it; in a name or a message it is an attack or a bug.
 */
const NUL = '\u0000'

/** True when every store keeps `text` as it is: whole Unicode, no NUL. */
function isStorable(text: string): boolean {
  return isWellFormed(text) && !text.includes(NUL)
}

/**
 * `text` with every lone surrogate and NUL replaced by U+FFFD, for text from upstreams that cannot
 * be refused.
 */
export function toStorable(text: string): string {
  if (isStorable(text)) return text
  // Array.from walks code points: a lone surrogate comes out alone, a pair together.
  return Array.from(text, (char) =>
    char === NUL || (char.length === 1 && /[\uD800-\uDFFF]/.test(char)) ? '\uFFFD' : char,
  ).join('')
}

/** True when `text` would show nothing to a reader. */
export function isVisiblyEmpty(text: string): boolean {
  return text.replace(INVISIBLE, '').length === 0
}

/**
 * Text people send (messages, names), at most `maxChars`: whole Unicode without NUL only, refused
 * with the field named otherwise. A lone surrogate stored would come back as U+FFFD and break the
 * conversation for every reader.
 */
export function peopleText(maxChars: number) {
  return z
    .string()
    .max(maxChars)
    .refine(isWellFormed, { message: 'Text must be well-formed Unicode' })
    .refine((text) => !text.includes(NUL), { message: 'Text must not contain U+0000 (NUL)' })
}
