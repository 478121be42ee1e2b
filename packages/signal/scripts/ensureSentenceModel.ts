// Makes sure the sentence model the knowledge base reranks with is in .cache/models and prints
// where it is. Maven's own client fetches the artifact, following the machine's repository settings
// and mirrors; no registry is named here. Run by setup, so neither the server nor the tests ever
// download it.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { unzipSync } from 'fflate'
import { holdsSentenceModel, SENTENCE_MODEL } from '../src/knowledge/sentenceModel'

// The plugin's version is pinned like every other dependency.
const COPY_GOAL = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy'

const folder = resolve(process.env.SENTENCE_MODEL_DIR ?? join('../../.cache/models', SENTENCE_MODEL.folder))

function fetchJar(): Uint8Array | undefined {
  const into = mkdtempSync(join(tmpdir(), 'kefu-model-'))
  try {
    process.stdout.write(`fetching the sentence model (16 MB): Maven artifact ${SENTENCE_MODEL.artifact}\n`)
    const copied = spawnSync(
      'mvn',
      [
        '-q',
        '-B',
        '-Dstyle.color=never',
        COPY_GOAL,
        `-Dartifact=${SENTENCE_MODEL.artifact}`,
        `-DoutputDirectory=${into}`,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    )
    if (copied.error) return undefined
    if (copied.status !== 0) throw new Error(`mvn could not fetch ${SENTENCE_MODEL.artifact}`)
    const [jar] = readdirSync(into).filter((name) => name.endsWith('.jar'))
    if (!jar) throw new Error(`mvn fetched no jar for ${SENTENCE_MODEL.artifact}`)
    return new Uint8Array(readFileSync(join(into, jar)))
  } finally {
    rmSync(into, { recursive: true, force: true })
  }
}

if (!holdsSentenceModel(folder)) {
  const jar = fetchJar()
  if (!jar) {
    process.stdout.write(
      'sentence model: not fetched (Maven, mvn, is not installed: apt-get install -y maven); the knowledge base ranks by words alone\n',
    )
    process.exit(0)
  }
  const digest = createHash('sha256').update(jar).digest('hex')
  if (digest !== SENTENCE_MODEL.sha256) {
    throw new Error(`${SENTENCE_MODEL.artifact}: sha256 ${digest}, expected ${SENTENCE_MODEL.sha256}`)
  }
  const wanted = new Set<string>(Object.values(SENTENCE_MODEL.files))
  const unpacked = unzipSync(jar, { filter: (file) => wanted.has(file.name) })
  mkdirSync(folder, { recursive: true })
  for (const [name, inJar] of Object.entries(SENTENCE_MODEL.files)) {
    const bytes = unpacked[inJar]
    if (!bytes) throw new Error(`${SENTENCE_MODEL.artifact} holds no ${inJar}`)
    // Written aside and renamed, so an interrupted setup never leaves a half file that looks whole.
    writeFileSync(join(folder, `${name}.part`), bytes)
    renameSync(join(folder, `${name}.part`), join(folder, name))
  }
}
process.stdout.write(`sentence model: ${folder}\n`)
