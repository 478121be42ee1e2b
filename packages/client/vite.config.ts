import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// In development the signal server runs on 8080; the dev server forwards API and socket traffic to it.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
    // The manifest tells bench:hall which chunks the chat and the hall load.
    manifest: true,
  },
})
