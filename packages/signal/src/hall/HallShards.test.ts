import { asUserId } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import { HallShards, shardOfRoom } from './HallShards'

const user = (n: number) => asUserId(`u${n}`)

describe('hall shards', () => {
  it('fills one shard to its capacity before opening the next', () => {
    let now = 0
    const shards = new HallShards(3, () => now)
    expect([1, 2, 3, 4, 5].map((n) => shards.place(user(n)))).toEqual([1, 1, 1, 2, 2])
    expect(shards.place(user(1))).toBe(1)
    now += 1
    shards.handleLeft(1, user(2), 'PA_2')
    expect(shards.place(user(6))).toBe(1)
  })

  it('puts a customer in their agent’s shard while it has room', () => {
    const shards = new HallShards(2, () => 0)
    shards.place(user(1))
    const agent = asUserId('s_alice')
    expect(shards.place(agent)).toBe(1)
    expect(shards.place(user(2), agent)).toBe(2)
    const other = asUserId('s_bob')
    expect(shards.place(other)).toBe(2)
    expect(shards.place(user(3), other)).toBe(3)
  })

  it('keeps in the hall someone whose new connection is heard joining before the old one leaving', () => {
    const shards = new HallShards(5, () => 0)
    const agent = asUserId('s_alice')
    shards.place(agent)
    shards.handleJoined(1, agent, 'PA_first')
    // LiveKit reconnected her: the new connection's join, then the old one's leave.
    shards.handleJoined(1, agent, 'PA_second')
    shards.handleLeft(1, agent, 'PA_first')
    expect(shards.isInHall(agent)).toBe(true)
    shards.handleLeft(1, agent, 'PA_second')
    expect(shards.isInHall(agent)).toBe(false)
  })

  it('takes a join heard after its own leave for the past it is', () => {
    const shards = new HallShards(5, () => 0)
    const agent = asUserId('s_alice')
    shards.handleLeft(1, agent, 'PA_brief')
    shards.handleJoined(1, agent, 'PA_brief')
    expect(shards.isInHall(agent)).toBe(false)
  })

  it('frees a seat whose token was never used', () => {
    let now = 0
    const shards = new HallShards(1, () => now)
    shards.place(user(1))
    expect(shards.place(user(2))).toBe(2)
    now = 61_000
    expect(shards.place(user(3))).toBe(1)
  })

  it('knows hall rooms from conversation rooms', () => {
    expect(shardOfRoom('hall-12')).toBe(12)
    expect(shardOfRoom('c_abc')).toBeUndefined()
    expect(shardOfRoom('hall-')).toBeUndefined()
  })
})
