import { describe, expect, it } from 'vitest'
import { asConversationId } from '../ids'
import type { Cancel, PcmPlayer, PcmRecorder } from '../ports'
import { welcomedSession } from '../testing/fixtures'
import { AudioFrameKind, decodeAudioFrame, encodeAudioFrame } from './audioFrames'
import { VoiceBridgeClient } from './VoiceBridgeClient'

class FakeRecorder implements PcmRecorder {
  starts = 0
  stops = 0
  private frameListeners = new Set<(samples: Int16Array) => void>()
  private stopListeners = new Set<() => void>()
  start(): void {
    this.starts++
  }
  stop(): void {
    this.stops++
    for (const listener of this.stopListeners) listener()
  }
  onFrame(listener: (samples: Int16Array) => void): Cancel {
    this.frameListeners.add(listener)
    return () => this.frameListeners.delete(listener)
  }
  onStop(listener: () => void): Cancel {
    this.stopListeners.add(listener)
    return () => this.stopListeners.delete(listener)
  }
  /** The platform hands over a frame. */
  emit(samples: Int16Array): void {
    for (const listener of this.frameListeners) listener(samples)
  }
  /** The platform stops recording on its own (the 10-minute limit). */
  expire(): void {
    for (const listener of this.stopListeners) listener()
  }
}

class FakePlayer implements PcmPlayer {
  now = 10
  readonly scheduled: { at: number; length: number }[] = []
  currentTime(): number {
    return this.now
  }
  play(samples: Int16Array, _sampleRate: number, atTime: number): void {
    this.scheduled.push({ at: atTime, length: samples.length })
  }
}

const conversationId = asConversationId('c1')
const FRAME = 320 // 20 ms at 16 kHz

async function setup() {
  const { session, transport } = await welcomedSession()
  const recorder = new FakeRecorder()
  const player = new FakePlayer()
  const bridge = new VoiceBridgeClient(session, recorder, player)
  return { transport, recorder, player, bridge }
}

describe('the voice bridge client', () => {
  it('asks for the bridge, and opens the microphone only once the server is ready', async () => {
    const { transport, recorder, bridge } = await setup()
    bridge.start(conversationId)
    expect(transport.sentOfType('voice.bridge.start')).toEqual([
      { t: 'voice.bridge.start', conversationId: 'c1', sampleRate: 16000 },
    ])
    expect(recorder.starts).toBe(0)
    transport.deliver({ t: 'voice.bridge.ready', conversationId: 'c1', sampleRate: 16000 })
    expect(bridge.state).toBe('live')
    expect(recorder.starts).toBe(1)
    recorder.emit(Int16Array.of(1, -2, 3))
    const sent = decodeAudioFrame(transport.sentBinary[0]!)
    expect(sent.ok && [sent.value.kind, [...sent.value.samples]]).toEqual([AudioFrameKind.Uplink, [1, -2, 3]])
  })

  it('restarts the recorder when the platform stops it after its time limit', async () => {
    const { transport, recorder, bridge } = await setup()
    bridge.start(conversationId)
    transport.deliver({ t: 'voice.bridge.ready', conversationId: 'c1', sampleRate: 16000 })
    recorder.expire()
    expect(recorder.starts).toBe(2)
    recorder.emit(new Int16Array(FRAME))
    expect(transport.sentBinary).toHaveLength(1)
  })

  it('schedules downlink audio back to back after a jitter cushion, and drops what is too late', async () => {
    const { transport, player, bridge } = await setup()
    bridge.start(conversationId)
    transport.deliver({ t: 'voice.bridge.ready', conversationId: 'c1', sampleRate: 16000 })
    for (let i = 0; i < 3; i++)
      transport.deliverBinary(encodeAudioFrame(AudioFrameKind.Downlink, new Int16Array(FRAME)))
    expect(player.scheduled.map((s) => Number(s.at.toFixed(3)))).toEqual([10.06, 10.08, 10.1])
    // A burst far beyond real time: the queue stays bounded (0.5 s) and the rest is dropped.
    for (let i = 0; i < 40; i++)
      transport.deliverBinary(encodeAudioFrame(AudioFrameKind.Downlink, new Int16Array(FRAME)))
    const last = player.scheduled.at(-1)!
    expect(last.at - player.now).toBeLessThanOrEqual(0.5)
    expect(bridge.droppedFrames).toBeGreaterThan(0)
    // After a silence, playback starts again one cushion ahead of now.
    player.now = 20
    transport.deliverBinary(encodeAudioFrame(AudioFrameKind.Downlink, new Int16Array(FRAME)))
    expect(player.scheduled.at(-1)?.at).toBeCloseTo(20.06)
  })

  it('stops cleanly: the microphone closes, the server is told, and stray audio is ignored', async () => {
    const { transport, recorder, player, bridge } = await setup()
    bridge.start(conversationId)
    transport.deliver({ t: 'voice.bridge.ready', conversationId: 'c1', sampleRate: 16000 })
    bridge.stop()
    expect(transport.sentOfType('voice.bridge.stop')).toHaveLength(1)
    expect(recorder.stops).toBe(1)
    expect(recorder.starts).toBe(1)
    recorder.emit(new Int16Array(FRAME))
    transport.deliverBinary(encodeAudioFrame(AudioFrameKind.Downlink, new Int16Array(FRAME)))
    expect(transport.sentBinary).toHaveLength(0)
    expect(player.scheduled).toHaveLength(0)
    expect(bridge.state).toBe('idle')
  })

  it('ends when the server says the room closed', async () => {
    const { transport, recorder, bridge } = await setup()
    bridge.start(conversationId)
    transport.deliver({ t: 'voice.bridge.ready', conversationId: 'c1', sampleRate: 16000 })
    transport.deliver({ t: 'voice.bridge.stopped', conversationId: 'c1', reason: 'room_closed' })
    expect(bridge.state).toBe('idle')
    expect(recorder.stops).toBe(1)
  })

  it('calls again at once after a stop, and the late answer to that stop does not end the new call', async () => {
    const { transport, recorder, bridge } = await setup()
    bridge.start(conversationId)
    transport.deliver({ t: 'voice.bridge.ready', conversationId: 'c1', sampleRate: 16000 })
    bridge.stop()
    bridge.start(conversationId)
    transport.deliver({ t: 'voice.bridge.stopped', conversationId: 'c1', reason: 'requested' })
    expect(bridge.state).toBe('starting')
    transport.deliver({ t: 'voice.bridge.ready', conversationId: 'c1', sampleRate: 16000 })
    expect(bridge.state).toBe('live')
    expect(recorder.starts).toBe(2)
    expect(transport.sentOfType('voice.bridge.start')).toHaveLength(2)
  })
})
