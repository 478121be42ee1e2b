import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseClientFrame, parseServerFrame } from './parse'

describe('client frame parsing', () => {
  it('accepts a message and fills in the default kind', () => {
    const result = parseClientFrame(
      JSON.stringify({ t: 'message.send', conversationId: 'c1', cid: 'm1', body: 'hi' }),
    )
    expect(result).toMatchObject({ ok: true, value: { kind: 'text', body: 'hi' } })
  })

  it('refuses an empty text message', () => {
    const result = parseClientFrame(
      JSON.stringify({ t: 'message.send', conversationId: 'c1', cid: 'm1', body: ' ' }),
    )
    expect(result.ok).toBe(false)
  })

  it('refuses a transfer that names no target', () => {
    expect(parseClientFrame(JSON.stringify({ t: 'conversation.transfer', conversationId: 'c1' })).ok).toBe(
      false,
    )
  })

  it('turns any garbage into a bad_frame error and never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((value) => JSON.stringify(value)),
        ),
        (text) => {
          const result = parseClientFrame(text)
          if (!result.ok) expect(result.error.code).toBe('bad_frame')
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('server frame parsing', () => {
  it('reads an error frame with a stable code', () => {
    const result = parseServerFrame(JSON.stringify({ t: 'error', code: 'forbidden', message: 'no' }))
    expect(result).toMatchObject({ ok: true, value: { code: 'forbidden' } })
  })

  it('refuses an error code that is not in the list', () => {
    expect(parseServerFrame(JSON.stringify({ t: 'error', code: 'oops', message: 'no' })).ok).toBe(false)
    expect(parseServerFrame('not json').ok).toBe(false)
  })
})
