import { AvatarMotion, type HallRole, type Pose, PoseBuffer, type ShowcaseState } from '@kefu/shared'
import { createStore, type StoreApi } from 'zustand/vanilla'

/** Who an avatar is; its colour says their role. */
export type AvatarRole = HallRole

/** Someone else in the hall. */
export interface RemoteAvatar {
  identity: string
  name: string
  role: AvatarRole
  /** Poses as they arrive; the frame loop samples it (never through React). */
  poses: PoseBuffer
  /** How loud they are right now, 0–1, for the speaking ring; written by the audio side. */
  audioLevel: number
}

/** A short speech bubble over the avatar that sent a chat message. */
export interface Bubble {
  text: string
  until: number
}

/**
 * The hall as the frame loop and the React tree share it. React subscribes to `roster` (who is
 * here) and re-renders when people come and go; per-frame data (poses, audio levels, bubbles) is
 * mutated in place and read with `getState()` inside the frame loop.
 */
export interface HallState {
  self: Pose
  /** Everyone else, by LiveKit identity (their user id). */
  remotes: Map<string, RemoteAvatar>
  bubbles: Map<string, Bubble>
  /** Bumped when someone arrives or leaves. */
  roster: number
  /** Pose packets that could not be read (dropped, counted). */
  badPoses: number
  /** What this conversation's showcase shows (set by its agent); React renders it. */
  showcase: ShowcaseState | undefined
  /**
   * The assistant at the reception desk: it stands there for everyone, and the words it writes to
   * this person (messages of the `bot` author) appear as its speech bubbles.
   */
  reception: { name: string; pose: Pose } | undefined
}

/** Who the assistant is in a conversation's history: the author of its messages. */
export const ASSISTANT_IDENTITY = 'bot'

const BUBBLE_MS = 6000

export type HallStore = StoreApi<HallState> & {
  /** Someone joined (or changed name): a new roster. */
  addRemote(identity: string, name: string, role: AvatarRole): void
  removeRemote(identity: string): void
  /** A pose from `identity`, received at `at` ms. */
  receivePose(identity: string, pose: Pose, at: number): void
  countBadPose(): void
  say(identity: string, text: string, now: number): void
  /** Puts the assistant behind the reception desk, on its spot, under `name`. */
  staffReception(name: string, spot: { x: number; z: number; heading: number }): void
}

/** A hall store whose own avatar starts at `start`. */
export function createHallStore(
  start: Pose = { x: 0, y: 0, z: 0, heading: 0, motion: AvatarMotion.Idle, seq: 0 },
): HallStore {
  const store = createStore<HallState>(() => ({
    self: { ...start },
    remotes: new Map(),
    bubbles: new Map(),
    roster: 0,
    badPoses: 0,
    showcase: undefined,
    reception: undefined,
  }))
  const bumpRoster = () => store.setState((state) => ({ roster: state.roster + 1 }))
  return {
    ...store,
    addRemote(identity, name, role) {
      const { remotes } = store.getState()
      const known = remotes.get(identity)
      if (known && known.name === name && known.role === role) return
      remotes.set(identity, { identity, name, role, poses: known?.poses ?? new PoseBuffer(), audioLevel: 0 })
      bumpRoster()
    },
    removeRemote(identity) {
      if (store.getState().remotes.delete(identity)) bumpRoster()
    },
    receivePose(identity, pose, at) {
      store.getState().remotes.get(identity)?.poses.push(pose, at)
    },
    countBadPose() {
      store.getState().badPoses++
    },
    staffReception(name, { x, z, heading }) {
      const pose = { x, y: 0, z, heading, motion: AvatarMotion.Idle, seq: 0 }
      store.setState((state) => ({ reception: { name, pose }, roster: state.roster + 1 }))
    },
    say(identity, text, now) {
      store.getState().bubbles.set(identity, {
        text: text.length > 60 ? `${text.slice(0, 57)}…` : text,
        until: now + BUBBLE_MS,
      })
    },
  }
}
