import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// bench:hall's page (the hall with simulated avatars), built apart so the served app has no bench in it.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist-bench',
    emptyOutDir: true,
    // One page with everything in it: it is measured, not downloaded by anyone.
    chunkSizeWarningLimit: 2048,
    rollupOptions: { input: 'hall-bench.html' },
  },
})
