import { defineConfig } from 'vite'

// The embed script is a separate, dependency-free build: one classic script (IIFE) that any page
// can load with a plain <script src>, next to the app's files.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: {
      entry: 'src/entries/widget.ts',
      formats: ['iife'],
      name: 'kefuWidget',
      fileName: () => 'widget.js',
    },
  },
})
