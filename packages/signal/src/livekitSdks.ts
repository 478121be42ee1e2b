/**
 * LiveKit's SDKs load on first use, not at start: together they are about 0.3 s of this thread's
 * time, and nothing needs them until someone calls or steps into the hall. Loading them as soon as
 * the server answers would hold up the first answers to the clients reconnecting after a restart
 * instead; the first call pays it once.
 */
let serverSdk: Promise<typeof import('livekit-server-sdk')> | undefined
let rtc: Promise<typeof import('@livekit/rtc-node')> | undefined

/** livekit-server-sdk: tokens, webhooks, the room service. */
export function livekitServerSdk(): Promise<typeof import('livekit-server-sdk')> {
  serverSdk ??= import('livekit-server-sdk')
  return serverSdk
}

/** @livekit/rtc-node: the server's own participants (room bots, the voice bridge). */
export function livekitRtc(): Promise<typeof import('@livekit/rtc-node')> {
  rtc ??= import('@livekit/rtc-node')
  return rtc
}
