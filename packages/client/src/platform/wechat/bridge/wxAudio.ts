import type { Cancel, PcmRecorder } from '@kefu/shared'

interface RecorderManager {
  start(options: object): void
  stop(): void
  onStop(listener: (result: { tempFilePath: string; duration: number }) => void): void
  onFrameRecorded(listener: (result: { frameBuffer: ArrayBuffer; isLastFrame: boolean }) => void): void
}
declare const wx: { getRecorderManager(): RecorderManager }

// Recorders stop by themselves after at most 10 minutes; the bridge restarts them when they do.
const MAX_RECORDING_MS = 600_000

type StopListener = (result: { tempFilePath: string; duration: number }) => void

/**
 * WeChat has one RecorderManager whose callbacks replace each other, so one hub registers them
 * once and fans out to voice notes and live calls alike.
 */
export class WxRecorderHub {
  private manager: RecorderManager | undefined
  private readonly stopListeners = new Set<StopListener>()
  private readonly frameListeners = new Set<(samples: Int16Array) => void>()

  get recorder(): RecorderManager {
    if (!this.manager) {
      const manager = wx.getRecorderManager()
      manager.onStop((result) => {
        for (const listener of this.stopListeners) listener(result)
      })
      manager.onFrameRecorded(({ frameBuffer }) => {
        const samples = new Int16Array(frameBuffer)
        for (const listener of this.frameListeners) listener(samples)
      })
      this.manager = manager
    }
    return this.manager
  }

  onStop(listener: StopListener): Cancel {
    this.stopListeners.add(listener)
    return () => this.stopListeners.delete(listener)
  }

  /** The hub as a PCM microphone for the voice bridge. */
  pcmRecorder(): PcmRecorder {
    return {
      start: (sampleRate) =>
        // frameSize is in KB: 1 KB of 16-bit mono at 16 kHz is 32 ms, small enough for a call.
        this.recorder.start({
          format: 'PCM',
          sampleRate,
          numberOfChannels: 1,
          frameSize: 1,
          duration: MAX_RECORDING_MS,
        }),
      stop: () => this.recorder.stop(),
      onFrame: (listener) => {
        this.frameListeners.add(listener)
        return () => this.frameListeners.delete(listener)
      },
      onStop: (listener) => this.onStop(() => listener()),
    }
  }
}
