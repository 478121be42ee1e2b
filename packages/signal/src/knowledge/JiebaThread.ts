import type { Tokenizer } from '@kefu/shared'
import { LRUCache } from 'lru-cache'
import { JIEBA_USER_DICTIONARY, jiebaTerms } from './jiebaTerms'
import { ThreadCalls } from './ThreadCalls'

/**
 * How the knowledge base's texts become terms. The index cuts text synchronously, deep inside its
 * build and its search, so `tokenized` runs such work with a tokenizer and resolves with its result.
 */
export interface Words {
  tokenized<T>(work: (tokenize: Tokenizer) => T): Promise<T>
}

// Questions repeat, and each is a few runs: far more than a day of distinct questions.
const REMEMBERED_RUNS = 50_000

let shared: JiebaThread | undefined

/**
 * jieba on its own thread (`jiebaWorker.mjs`), so neither a start nor the event loop waits while
 * its dictionary loads. This thread keeps what it cut: work that meets a run not cut yet is run
 * again once the thread has cut what it missed, so `work` must be safe to run twice (building an
 * index, searching one). A question of runs already seen is answered with no call at all.
 */
export class JiebaThread implements Words {
  private readonly cuts = new LRUCache<string, readonly string[]>({ max: REMEMBERED_RUNS })
  /** Runs the current attempt asked for and found not cut; undefined between attempts. */
  private missing: Set<string> | undefined
  private readonly tokenize = jiebaTerms((run) => {
    const cut = this.cuts.get(run)
    if (cut) return cut
    this.missing?.add(run)
    return []
  })

  private constructor(
    private readonly thread: Promise<ThreadCalls<{ runs: string[] }, { cuts: string[][] }>>,
  ) {
    // Why it failed reaches whoever asks for a cut; nobody asking is no crash.
    thread.catch(() => {})
  }

  /**
   * The process's one jieba thread, started on first use: work waits for its dictionary, then
   * calls it only for runs not cut yet. One per process, as the tests start many servers.
   */
  static shared(): JiebaThread {
    shared ??= new JiebaThread(
      ThreadCalls.open('jiebaWorker.mjs', { userDictionary: JIEBA_USER_DICTIONARY }, 'jieba'),
    )
    return shared
  }

  async tokenized<T>(work: (tokenize: Tokenizer) => T): Promise<T> {
    // Nothing is tried before the dictionary is loaded: a first attempt would only learn what it
    // misses, on the time of a starting server (the index built at start is most of 0.1 s).
    const thread = await this.thread
    for (;;) {
      const missing = new Set<string>()
      this.missing = missing
      let result: T
      try {
        result = work(this.tokenize)
      } finally {
        this.missing = undefined
      }
      if (missing.size === 0) return result
      const runs = [...missing]
      const { cuts } = await thread.call({ runs })
      for (const [at, run] of runs.entries()) this.cuts.set(run, cuts[at] ?? [])
    }
  }
}
