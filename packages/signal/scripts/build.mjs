// Bundles the server, the CLI and the relay benchmark into dist/. Only the workspace's own
// TypeScript and the pure-JavaScript packages named below are bundled: one file to read and compile
// instead of their hundreds (express's alone took a tenth of a second to resolve and read) brought a
// restart's /readyz from 0.59–0.73 s to 0.41–0.51 s here. Every other dependency stays external and
// is loaded from node_modules at run time: native addons, packages the server loads lazily (pg,
// livekit-server-sdk), and whatever is added later, so a new dependency cannot break the bundle
// (bundled CommonJS broke the built server twice; the suite now starts the built server).
import { cpSync, mkdirSync, readFileSync } from 'node:fs'
import { build } from 'esbuild'

const BUNDLED = new Set(['express', 'helmet', 'jose', 'lru-cache', 'prom-client', 'ws', 'zod'])
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const external = Object.entries(manifest.dependencies)
  .filter(([name, version]) => !String(version).startsWith('workspace:') && !BUNDLED.has(name))
  .flatMap(([name]) => [name, `${name}/*`])

await build({
  entryPoints: ['src/main.ts', 'src/cli.ts', 'bench/socketioRelay.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: 'dist',
  // The relay benchmark's socket.io is a development dependency, present wherever benchmarks run.
  external: [...external, 'socket.io'],
  // The bundled CommonJS packages require Node's own modules, which an ESM bundle has no require for.
  banner: {
    js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
  },
  logLevel: 'warning',
})
for (const thread of ['sentenceWorker.mjs', 'jiebaWorker.mjs'])
  cpSync(`src/knowledge/${thread}`, `dist/src/${thread}`)
mkdirSync('dist/fixtures', { recursive: true })
cpSync('fixtures/knowledge', 'dist/fixtures/knowledge', { recursive: true })
