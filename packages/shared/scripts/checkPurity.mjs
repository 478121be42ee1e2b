// Proves @kefu/shared runs on any platform: bundles it for a neutral target (no Node built-ins,
// no DOM shims) and fails on any import that only Node, a browser or a mini-program could satisfy.
// It also fails on import cycles between the core's feature folders.
import { build } from 'esbuild'

const result = await build({
  entryPoints: [process.argv[2] ?? 'src/index.ts'],
  bundle: true,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  format: 'esm',
  write: false,
  metafile: true,
  logLevel: 'silent',
}).catch((error) => {
  for (const message of error.errors ?? []) console.error(`shared is not platform-neutral: ${message.text}`)
  process.exit(1)
})

const sourceInputs = Object.entries(result.metafile.inputs).filter(([path]) => path.startsWith('src/'))
const folderOf = (path) => path.split('/').slice(1, -1).join('/') || '.'
const edges = new Map()
for (const [path, input] of sourceInputs) {
  for (const imported of input.imports) {
    if (!imported.path.startsWith('src/')) continue
    const from = folderOf(path)
    const to = folderOf(imported.path)
    if (from === to || to === '.') continue
    if (!edges.has(from)) edges.set(from, new Set())
    edges.get(from).add(to)
  }
}

function findCycle() {
  const state = new Map()
  const stack = []
  const visit = (node) => {
    state.set(node, 'open')
    stack.push(node)
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next]
      if (!state.has(next)) {
        const cycle = visit(next)
        if (cycle) return cycle
      }
    }
    stack.pop()
    state.set(node, 'done')
    return undefined
  }
  for (const node of edges.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node)
      if (cycle) return cycle
    }
  }
  return undefined
}

const cycle = findCycle()
if (cycle) {
  console.error(`shared has an import cycle between feature folders: ${cycle.join(' -> ')}`)
  process.exit(1)
}
const bytes = result.outputFiles[0].contents.byteLength
console.log(
  `shared is platform-neutral and acyclic: ${sourceInputs.length} modules, ${(bytes / 1024).toFixed(1)} KiB bundled`,
)
