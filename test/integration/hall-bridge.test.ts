import {
  AvatarMotion,
  decodePose,
  decodePoseDown,
  encodePose,
  encodePoseUp,
  encodeShowcase,
  PoseFrameKind,
  SHOWCASE_TOPIC,
} from '@kefu/shared'
import { RoomBot } from '@kefu/signal'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServerWithLivekit } from '../helpers/livekit'

let stack: Awaited<ReturnType<typeof startServerWithLivekit>>
beforeEach(async () => {
  stack = await startServerWithLivekit()
})
afterEach(async () => stack?.stop())

const standing = (x: number, z: number, seq: number) => ({
  x,
  y: 0,
  z,
  heading: 0.5,
  motion: AvatarMotion.Walk,
  seq,
})

/** A browser in the hall, as far as LiveKit can tell: a participant with the web client's seat. */
async function webVisitor(userId: string) {
  const token = await stack.server.customerToken({ userId, name: '网页顾客' })
  const seat = await stack.server.post<{ url: string; token: string; room: string }>(
    '/api/hall/token',
    {},
    token,
  )
  const bot = new RoomBot()
  const poses: { identity: string | undefined; x: number }[] = []
  bot.onData(({ identity, topic, payload }) => {
    const pose = topic === 'pose' ? decodePose(payload) : undefined
    if (pose?.ok) poses.push({ identity, x: pose.value.x })
  })
  await bot.join(seat.body.url, seat.body.token, { autoSubscribe: false })
  return { bot, poses, room: seat.body.room }
}

describe('the hall for clients without WebRTC (poses over the signal socket, real LiveKit)', () => {
  it('seats a mini-program customer where browsers see them, and carries poses both ways', async () => {
    const web = await webVisitor('hall-web')
    const mini = await stack.server.connect(
      await stack.server.customerToken({ userId: 'hall-mini', name: '小程序顾客' }),
    )
    mini.send({ t: 'hall.join' })
    expect(await mini.waitFor('hall.joined', () => true, 20_000)).toMatchObject({ room: web.room })
    const roster = await mini.waitFor('hall.roster', (frame) =>
      frame.people.some((p) => p.identity === 'u_hall-web'),
    )
    expect(roster.people.find((p) => p.identity === 'u_hall-web')).toMatchObject({
      name: '网页顾客',
      role: 'customer',
    })

    // Up: the browser receives the pose as the mini-program customer's, stamped by LiveKit.
    await expect
      .poll(
        () => {
          mini.sendRaw(Buffer.from(encodePoseUp(standing(2.5, -1, Date.now() % 1e6))))
          return web.poses.find((pose) => pose.identity === 'u_hall-mini')?.x
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(2.5)

    // Down: the browser's pose arrives on the socket, named.
    await expect
      .poll(
        () => {
          void web.bot.sendData(encodePose(standing(-4, 3, Date.now() % 1e6)), 'pose', { reliable: false })
          const down = mini.binary
            .filter((bytes) => bytes[0] === PoseFrameKind.Down)
            .map((bytes) => decodePoseDown(bytes))
          return down.find((frame) => frame.ok && frame.value.identity === 'u_hall-web')
        },
        { timeout: 10_000, interval: 200 },
      )
      .toMatchObject({ ok: true, value: { pose: { x: -4, z: 3 } } })

    // A showcase packet comes down named by LiveKit's stamp (the client believes only its agent's);
    // one that is no showcase state is dropped.
    await web.bot.sendData(
      Uint8Array.from('{"productId":42}', (char) => char.charCodeAt(0)),
      SHOWCASE_TOPIC,
    )
    await web.bot.sendData(encodeShowcase({ productId: 'p-phone', rotation: 1.25 }), SHOWCASE_TOPIC)
    expect(await mini.waitFor('hall.showcase')).toMatchObject({
      from: 'u_hall-web',
      state: { productId: 'p-phone', rotation: 1.25 },
    })
    expect(mini.frames.filter((frame) => frame.t === 'hall.showcase')).toHaveLength(1)

    mini.send({ t: 'hall.leave' })
    expect(await mini.waitFor('hall.left')).toMatchObject({ reason: 'requested' })
    await Promise.all([mini.close(), web.bot.leave()])
  }, 60_000)

  it('refuses poses before joining and malformed ones after, keeping the socket', async () => {
    const mini = await stack.server.connect(await stack.server.customerToken({ userId: 'hall-early' }))
    mini.sendRaw(Buffer.from(encodePoseUp(standing(1, 1, 1))))
    expect(await mini.waitFor('error', (frame) => frame.code === 'unsupported_frame')).toBeTruthy()
    mini.send({ t: 'hall.join' })
    await mini.waitFor('hall.joined', () => true, 20_000)
    mini.sendRaw(Buffer.from([PoseFrameKind.Up, 9, 9, 9]))
    expect(await mini.waitFor('error', (frame) => frame.code === 'bad_frame')).toBeTruthy()
    mini.send({ t: 'ping', at: 1 })
    await mini.waitFor('pong')
    await mini.close()
  }, 60_000)
})
