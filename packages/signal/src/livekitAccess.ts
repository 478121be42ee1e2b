import type { LivekitConfig } from './config'

// A node that has not answered within this long is taken for down: a voice token waits for it.
const ANSWER_TIMEOUT_MS = 1_000
// How long one check of a node is believed, so a burst of joins checks each node once.
const CHECK_BELIEVED_MS = 2_000

/** The LiveKit this node sends people to: its settings, and which of its nodes answers now. */
export interface LivekitAccess extends LivekitConfig {
  /**
   * The first of `urls` that answers, or the first of all when none does. LiveKit's multi-node
   * mode routes a participant to the node that hosts their room, whichever node they connect to,
   * and moves a dead node's rooms to a live one on the next join; what it cannot do is answer on
   * the node that died, so a participant, or this server's own bot, is sent to one that answers.
   */
  nodeUrl(): Promise<string>
}

export function livekitAccess(
  config: LivekitConfig,
  now: () => number,
  answers: (url: string) => Promise<boolean> = answersHttp,
): LivekitAccess {
  const [preferred, ...others] = config.urls
  if (!preferred) throw new Error('LiveKit needs at least one URL')
  // One node has no other to send anyone to: it is not checked.
  if (others.length === 0) return { ...config, nodeUrl: async () => preferred }
  const checks = new Map<string, { at: number; answered: Promise<boolean> }>()
  const answering = (url: string): Promise<boolean> => {
    const last = checks.get(url)
    if (last && now() - last.at < CHECK_BELIEVED_MS) return last.answered
    const answered = answers(url)
    checks.set(url, { at: now(), answered })
    return answered
  }
  return {
    ...config,
    async nodeUrl() {
      for (const url of config.urls) if (await answering(url)) return url
      return preferred
    },
  }
}

/** LiveKit answers `OK` on its signalling port's root. */
function answersHttp(url: string): Promise<boolean> {
  return fetch(url.replace(/^ws/, 'http'), { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) }).then(
    (response) => response.ok,
    () => false,
  )
}
