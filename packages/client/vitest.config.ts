import { defineConfig } from 'vitest/config'

// The first render of a file pays for React's and jsdom's warm-up: on a busy 2-core machine that
// has taken over 5 s, vitest's default.
export default defineConfig({
  test: { include: ['src/**/*.test.{ts,tsx}'], environment: 'jsdom', testTimeout: 15_000 },
})
