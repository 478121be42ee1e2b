import { AvatarMotion, encodePose, encodePoseDown, PoseFrameKind } from '@kefu/shared'
import { welcomedSession } from '@kefu/shared/testing'
import { describe, expect, it } from 'vitest'
import { createHallStore } from './hallStore'
import { SocketHall } from './SocketHall'

describe('the hall over the chat socket', () => {
  it('joins, follows the roster, takes relayed poses and sends its own once seated', async () => {
    const { session, transport } = await welcomedSession()
    const store = createHallStore()
    const hall = new SocketHall(session, store)
    hall.join()
    expect(transport.sent.filter((frame) => frame.t === 'hall.join')).toHaveLength(1)

    // Not seated yet: nothing goes up.
    hall.tick(0)
    expect(transport.sentBinary).toEqual([])
    transport.deliver({ t: 'hall.joined', room: 'hall-1', shard: 1 })
    transport.deliver({
      t: 'hall.roster',
      people: [{ identity: 'u_web', name: '网页顾客', role: 'customer' }],
    })
    expect(store.getState().remotes.get('u_web')?.name).toBe('网页顾客')

    const pose = { x: 2, y: 0, z: -1, heading: 0, motion: AvatarMotion.Walk, seq: 3 }
    transport.deliverBinary(encodePoseDown('u_web', encodePose(pose)))
    expect(
      store
        .getState()
        .remotes.get('u_web')
        ?.poses.sample(Date.now() + 1000, { ...pose }),
    ).toMatchObject({ x: 2 })

    hall.tick(1000)
    expect(transport.sentBinary.map((bytes) => bytes[0])).toEqual([PoseFrameKind.Up])

    transport.deliver({ t: 'hall.roster', people: [] })
    expect(store.getState().remotes.size).toBe(0)
    hall.leave()
    expect(transport.sent.filter((frame) => frame.t === 'hall.leave')).toHaveLength(1)
  })
})
