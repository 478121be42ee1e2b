// @vitest-environment node
import { AvatarMotion } from '@kefu/shared'
import { InstancedMesh, Matrix4, Sprite, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createHallStore } from '../../core/hallStore'
import { AvatarCrowd, crowdOf } from './AvatarCrowd'

// No DOM here, as in a mini-program: textures are painted on whatever canvas the host gives.
const blankCanvas = (width: number, height: number) => ({ width, height, getContext: () => null })

describe('the avatar crowd', () => {
  it('places everyone posed where their pose says, in four instanced meshes, and hides the unposed', () => {
    const store = createHallStore({ x: 0, y: 0, z: 5, heading: 0, motion: AvatarMotion.Idle, seq: 0 })
    store.addRemote('u_posed', 'Posed', 'agent')
    store.addRemote('u_waiting', 'Not yet', 'customer')
    store.receivePose('u_posed', { x: 3, y: 0, z: -2, heading: 0, motion: AvatarMotion.Idle, seq: 1 }, 0)
    const crowd = new AvatarCrowd(blankCanvas)
    crowd.setMembers(crowdOf(store.getState(), { identity: 'me', name: 'Me', role: 'customer' }))
    crowd.update(store.getState(), 1000, 0)

    const meshes = crowd.group.children.filter(
      (child): child is InstancedMesh => child instanceof InstancedMesh,
    )
    expect(meshes).toHaveLength(4)
    const bodies = meshes[0] as InstancedMesh
    expect(bodies.count).toBe(3)
    const at = (index: number) => {
      const matrix = new Matrix4()
      bodies.getMatrixAt(index, matrix)
      return new Vector3().setFromMatrixPosition(matrix)
    }
    expect(at(0)).toMatchObject({ x: 0, z: 5 })
    expect(at(1).x).toBeCloseTo(3)
    expect(at(1).z).toBeCloseTo(-2)
    expect(at(2).y).toBe(-50)
    // A name tag and a bubble per person.
    expect(crowd.group.children.filter((child) => child instanceof Sprite)).toHaveLength(6)

    store.removeRemote('u_waiting')
    crowd.setMembers(crowdOf(store.getState(), { identity: 'me', name: 'Me', role: 'customer' }))
    expect(crowd.group.children.filter((child) => child instanceof Sprite)).toHaveLength(4)
    crowd.dispose()
  })
})
