import { useFrame } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import { useStore } from 'zustand'
import type { AvatarRole, HallStore } from '../../core/hallStore'
import { AvatarCrowd, crowdOf } from '../scene3d/AvatarCrowd'
import { domCanvas } from './domCanvas'

/**
 * Every avatar in the hall, drawn by the shared `AvatarCrowd`: who is drawn follows the roster
 * through React, where each one stands is read from the store in the frame loop, never through React.
 */
export function Avatars({
  store,
  self,
}: {
  store: HallStore
  self: { identity: string; name: string; role: AvatarRole }
}) {
  const roster = useStore(store, (state) => state.roster)
  const crowd = useMemo(() => new AvatarCrowd(domCanvas), [])
  useEffect(() => () => crowd.dispose(), [crowd])
  // biome-ignore lint/correctness/useExhaustiveDependencies: the roster revision is what changes.
  useEffect(() => crowd.setMembers(crowdOf(store.getState(), self)), [crowd, roster, store, self])
  useFrame(({ clock }) => crowd.update(store.getState(), performance.now(), clock.elapsedTime))
  return <primitive object={crowd.group} />
}
