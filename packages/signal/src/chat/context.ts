import type { Clock, IdSource, Logger, Router, RoutingConfig } from '@kefu/shared'
import type { Metrics } from '../http/metrics'
import type { Repository } from '../store/Repository'
import type { Fanout } from './Fanout'
import type { KeyedLock } from './KeyedLock'

/** What the chat services share; built once in server.ts. */
export interface ChatContext {
  repo: Repository
  router: Router
  routing: RoutingConfig
  fanout: Fanout
  locks: KeyedLock
  clock: Clock
  ids: IdSource
  logger: Logger
  metrics: Metrics
}
