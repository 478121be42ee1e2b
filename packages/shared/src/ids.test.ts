import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ClientMessageIdSchema, newClientMessageId } from './ids'

describe('newClientMessageId', () => {
  const time = fc.integer({ min: 0, max: 8_000_000_000_000 })
  const text = fc.string({ minLength: 1, maxLength: 80 })

  it('sorts as text in the order the messages were created', () => {
    fc.assert(
      fc.property(time, time, text, text, (earlier, later, device, otherDevice) => {
        fc.pre(earlier < later)
        expect(newClientMessageId(earlier, 'z', device) < newClientMessageId(later, '0', otherDevice)).toBe(
          true,
        )
      }),
    )
  })

  it('is a valid cid whatever the device id, and keeps the unique part', () => {
    fc.assert(
      fc.property(
        time,
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 32 }),
        text,
        (at, unique, device) => {
          const cid = newClientMessageId(at, unique, device)
          expect(ClientMessageIdSchema.safeParse(cid).success).toBe(true)
          expect(cid).toContain(`-${unique}-`)
        },
      ),
    )
  })
})
