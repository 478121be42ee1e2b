// Makes sure the sentence model the knowledge base reranks with is in .cache/models (fetching it
// once from Maven Central and checking its digest) and prints where it is. Run by setup, so neither
// the server nor the tests ever download it.
import { createHash } from 'node:crypto'
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { unzipSync } from 'fflate'
import { holdsSentenceModel, SENTENCE_MODEL } from '../src/knowledge/sentenceModel'

const folder = resolve(process.env.SENTENCE_MODEL_DIR ?? join('../../.cache/models', SENTENCE_MODEL.folder))

if (!holdsSentenceModel(folder)) {
  process.stdout.write(`fetching the sentence model (16 MB) from ${new URL(SENTENCE_MODEL.url).host}\n`)
  const response = await fetch(SENTENCE_MODEL.url)
  if (!response.ok) throw new Error(`${SENTENCE_MODEL.url}: HTTP ${response.status}`)
  const jar = new Uint8Array(await response.arrayBuffer())
  const digest = createHash('sha256').update(jar).digest('hex')
  if (digest !== SENTENCE_MODEL.sha256) {
    throw new Error(`${SENTENCE_MODEL.url}: sha256 ${digest}, expected ${SENTENCE_MODEL.sha256}`)
  }
  const wanted = new Set<string>(Object.values(SENTENCE_MODEL.files))
  const unpacked = unzipSync(jar, { filter: (file) => wanted.has(file.name) })
  mkdirSync(folder, { recursive: true })
  for (const [name, inJar] of Object.entries(SENTENCE_MODEL.files)) {
    const bytes = unpacked[inJar]
    if (!bytes) throw new Error(`${SENTENCE_MODEL.url} holds no ${inJar}`)
    // Written aside and renamed, so an interrupted setup never leaves a half file that looks whole.
    writeFileSync(join(folder, `${name}.part`), bytes)
    renameSync(join(folder, `${name}.part`), join(folder, name))
  }
}
process.stdout.write(`sentence model: ${folder}\n`)
