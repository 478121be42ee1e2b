// The sentence model's thread: reads texts into unit vectors (bge-small-zh: the [CLS] token's last
// hidden state, normalised) off the server's event loop, so a chat is never held up by a model run
// and the words of a question are searched while the model reads it. Plain JavaScript because a
// worker thread loads its file with Node alone, without the TypeScript loader of the sources.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { Tokenizer } from '@huggingface/tokenizers'
import ort from 'onnxruntime-node'

/**
 * Customers' questions are short; a question variant past this many word pieces says what it asks in
 * its first ones, and the model's cost grows with the square of the length.
 */
const MAX_TOKENS = 64

const { folder } = workerData
const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(folder, 'tokenizer.json'), 'utf8')), {})
// One thread for the model: a question is a few dozen word pieces, too little to split, and the
// server shares its cores with the chat it serves.
const session = await ort.InferenceSession.create(join(folder, 'model.onnx'), {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
})

/** @param {string} text */
function pieces(text) {
  const { ids } = tokenizer.encode(text.toLowerCase())
  if (ids.length <= MAX_TOKENS) return ids
  // Cut inside, keeping the closing [SEP] the model was trained to see.
  return [...ids.slice(0, MAX_TOKENS - 1), ids[ids.length - 1]]
}

/**
 * The texts' vectors one after another in one array, the texts padded to the longest.
 * @param {string[]} texts
 */
async function encode(texts) {
  const rows = texts.map(pieces)
  const width = Math.max(...rows.map((row) => row.length))
  const ids = new BigInt64Array(texts.length * width)
  const mask = new BigInt64Array(texts.length * width)
  rows.forEach((row, at) => {
    row.forEach((id, column) => {
      ids[at * width + column] = BigInt(id)
      mask[at * width + column] = 1n
    })
  })
  const shape = [texts.length, width]
  const output = (
    await session.run({
      input_ids: new ort.Tensor('int64', ids, shape),
      attention_mask: new ort.Tensor('int64', mask, shape),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(texts.length * width), shape),
    })
  )[session.outputNames[0]]
  const hidden = output.data
  const dimensions = output.dims[2]
  const vectors = new Float32Array(texts.length * dimensions)
  for (let at = 0; at < texts.length; at++) {
    const cls = hidden.subarray(at * width * dimensions, at * width * dimensions + dimensions)
    let norm = 0
    for (const value of cls) norm += value * value
    norm = Math.sqrt(norm) || 1
    for (let i = 0; i < dimensions; i++) vectors[at * dimensions + i] = cls[i] / norm
  }
  return { vectors, dimensions }
}

parentPort.on('message', async ({ id, texts }) => {
  try {
    const { vectors, dimensions } = await encode(texts)
    parentPort.postMessage({ id, vectors, dimensions }, [vectors.buffer])
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) })
  }
})
parentPort.postMessage({ ready: true })
