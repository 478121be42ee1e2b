import type { Logger } from '@kefu/shared'
import { pino } from 'pino'

/** A pino logger: JSON lines on stdout, which is what log collectors read. */
export function createLogger(
  level: string,
): Logger & { child(bindings: object): Logger; flush(done: (error?: Error) => void): void } {
  return pino({ level, base: { service: 'kefu-signal' } })
}
