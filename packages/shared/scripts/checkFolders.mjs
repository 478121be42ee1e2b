// Keeps a package's architecture readable from its folder names: fails when its feature folders
// import each other in a cycle, or when a folder imports one of the package's composition roots
// (the files that wire everything, such as server.ts). Type-only imports count: a cycle through
// types is still a cycle a reader has to untangle.
//
//   node checkFolders.mjs <srcDir> [--roots server.ts,main.ts,entries/]
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const SOURCE = /\.(ts|tsx|mts|js|mjs)$/
const [srcArg, ...rest] = process.argv.slice(2)
const srcDir = resolve(srcArg ?? 'src')
const rootsFlag = rest.indexOf('--roots')
// Roots are named as nodes are: `server` for server.ts, `entries/` for a folder of entry files.
const roots = new Set(
  (rootsFlag >= 0 ? (rest[rootsFlag + 1] ?? '') : '')
    .split(',')
    .filter(Boolean)
    .map((root) => root.replace(SOURCE, '')),
)

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (SOURCE.test(entry.name) && !/\.(test|e2e\.test)\.tsx?$/.test(entry.name)) yield path
  }
}

// A file at the top of src is its own node (config.ts, errors.ts); a file in a folder belongs to
// the folder's first level (chat/, store/, platform/wechat/ -> platform).
const nodeOf = (file) => {
  const parts = relative(srcDir, file).split('/')
  return parts.length === 1 ? parts[0].replace(SOURCE, '') : `${parts[0]}/`
}

const edges = new Map()
const offences = []
for (const file of sourceFiles(srcDir)) {
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2]
    if (!specifier?.startsWith('.')) continue
    const target = resolve(dirname(file), specifier)
    const targetRelative = relative(srcDir, target)
    if (targetRelative.startsWith('..')) {
      offences.push(`${relative(srcDir, file)} reaches outside src: ${specifier}`)
      continue
    }
    const from = nodeOf(file)
    const to = nodeOf(target)
    if (from === to) continue
    if (roots.has(to) && from.endsWith('/'))
      offences.push(`${relative(srcDir, file)} imports the composition root ${specifier}`)
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
if (cycle) offences.push(`folders import each other in a cycle: ${cycle.join(' -> ')}`)
if (offences.length > 0) {
  for (const offence of offences) console.error(`${relative(process.cwd(), srcDir)}: ${offence}`)
  process.exit(1)
}
console.log(`${relative(process.cwd(), srcDir) || '.'}: ${edges.size} folders and top-level files, no cycles`)
