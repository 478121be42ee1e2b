import { ThreadCalls } from './ThreadCalls'

/**
 * Turns texts into unit vectors whose dot product says how alike they mean, on a thread of its own
 * (see `sentenceWorker.mjs`).
 */
export class SentenceEncoder {
  private constructor(
    private readonly thread: ThreadCalls<
      { texts: readonly string[] },
      { vectors: Float32Array; dimensions: number }
    >,
  ) {}

  /** Opens the model in a folder holding `model.onnx` and `tokenizer.json` (see `sentenceModel.ts`). */
  static async open(folder: string): Promise<SentenceEncoder> {
    return new SentenceEncoder(await ThreadCalls.open('sentenceWorker.mjs', { folder }, 'sentence model'))
  }

  /** The texts' vectors, in order. */
  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return []
    const { vectors, dimensions } = await this.thread.call({ texts })
    return Array.from({ length: vectors.length / dimensions }, (_, at) =>
      vectors.subarray(at * dimensions, (at + 1) * dimensions),
    )
  }
}
