import { config } from 'zod'

/**
 * Mini-programs forbid `eval` and `new Function`, which zod uses to compile fast validators.
 * Their entry files call this once, before any frame is parsed; validation stays, only slower.
 */
export function disableCodeGeneration(): void {
  config({ jitless: true })
}
