import type { Result } from '@kefu/shared'

interface Pending<In, Out> {
  input: In
  resolve: (output: Out) => void
  reject: (error: unknown) => void
}

/**
 * Commits the writes that arrive within one turn of the event loop together. Under load, the
 * messages of many sockets are read in the same turn; one transaction for all of them costs one
 * commit instead of one each. A lone write waits only for the end of the current turn.
 *
 * `commit` runs the batch in one transaction and reports each input's own outcome, so one bad
 * write fails alone; if `commit` itself throws, nothing was stored and every write fails.
 */
export class GroupCommit<In, Out> {
  private pending: Pending<In, Out>[] = []

  constructor(private readonly commit: (inputs: readonly In[]) => Result<Out, unknown>[]) {}

  submit(input: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush())
      this.pending.push({ input, resolve, reject })
    })
  }

  /** Commits whatever is waiting now (also called before the store closes). */
  flush(): void {
    const batch = this.pending
    if (batch.length === 0) return
    this.pending = []
    let outcomes: Result<Out, unknown>[]
    try {
      outcomes = this.commit(batch.map((entry) => entry.input))
    } catch (error) {
      for (const entry of batch) entry.reject(error)
      return
    }
    batch.forEach((entry, index) => {
      const outcome = outcomes[index]
      if (outcome?.ok) entry.resolve(outcome.value)
      else entry.reject(outcome ? outcome.error : new Error('write missing from its batch'))
    })
  }
}
