import type { Cancel, Clock, DashboardSnapshot, TeamId } from '@kefu/shared'
import { repeatEvery } from '../clock'

/** One dashboard's view: a supervisor's teams over a window. */
export interface FeedScope {
  teamIds: readonly TeamId[]
  windowMs: number
}

interface Watcher {
  scope: FeedScope
  key: string
  send: (snapshot: DashboardSnapshot) => void
  lastSent?: string
}

/**
 * Dashboards kept live: while anyone watches, each beat builds one snapshot per distinct scope and
 * sends it to the watchers whose view changed (not for the clock alone), so a busy service pushes
 * at most one frame a second per dashboard and a quiet one pushes nothing.
 */
export class QualityFeed {
  private readonly watchers = new Set<Watcher>()
  private stopBeat: Cancel | undefined
  private beating = false

  constructor(
    private readonly build: (scope: FeedScope) => Promise<DashboardSnapshot>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly clock: Clock,
  ) {}

  /** Sends the snapshot now and on every change; returns the function that stops it. */
  watch(scope: FeedScope, send: (snapshot: DashboardSnapshot) => void): () => void {
    const watcher: Watcher = { scope, key: scopeKey(scope), send }
    this.watchers.add(watcher)
    void this.beat([watcher], false)
    this.stopBeat ??= repeatEvery(this.clock, this.intervalMs, () => this.beat([...this.watchers], true))
    return () => {
      this.watchers.delete(watcher)
      if (this.watchers.size > 0 || !this.stopBeat) return
      this.stopBeat()
      this.stopBeat = undefined
    }
  }

  stop(): void {
    this.watchers.clear()
    this.stopBeat?.()
    this.stopBeat = undefined
  }

  // A newcomer is answered at once; beats never overlap (a slow build skips the next beat).
  private async beat(watchers: Watcher[], isBeat: boolean): Promise<void> {
    if (isBeat && this.beating) return
    if (isBeat) this.beating = true
    try {
      const byScope = new Map<string, Watcher[]>()
      for (const watcher of watchers) byScope.set(watcher.key, [...(byScope.get(watcher.key) ?? []), watcher])
      for (const group of byScope.values()) {
        const first = group[0]
        if (!first) continue
        const snapshot = await this.build(first.scope)
        const seen = JSON.stringify({ ...snapshot, at: 0 })
        for (const watcher of group) {
          if (watcher.lastSent === seen || !this.watchers.has(watcher)) continue
          watcher.lastSent = seen
          watcher.send(snapshot)
        }
      }
    } catch (error) {
      this.onError(error)
    } finally {
      if (isBeat) this.beating = false
    }
  }
}

function scopeKey(scope: FeedScope): string {
  return `${[...scope.teamIds].sort().join(',')}|${scope.windowMs}`
}
