// @vitest-environment node
import { createHallLayout } from '@kefu/shared'
import { Mesh } from 'three'
import { describe, expect, it } from 'vitest'
import { buildRoomShell, disposeRoomShell } from './roomShell'

// Node, not jsdom: the shell is built where there is no DOM, as in a mini-program.
describe('the room shell', () => {
  const teams = ['premium', 'retention', 'general'].map((id) => ({ id, name: id }))

  it('builds the whole static room as one mesh per surface, each team’s colour its own', () => {
    const shell = buildRoomShell(createHallLayout(teams))
    const meshes = shell.children.filter((child): child is Mesh => child instanceof Mesh)
    expect(meshes).toHaveLength(shell.children.length)
    // Fifteen shared surfaces and three team colours, however many desks, walls and plants.
    expect(meshes).toHaveLength(18)
    for (const mesh of meshes) expect(mesh.geometry.getAttribute('position').count).toBeGreaterThan(0)
    disposeRoomShell(shell)
  })

  it('grows in triangles, not in meshes, with more teams', () => {
    const six = buildRoomShell(
      createHallLayout([...teams, ...['vip', 'sales', 'tech'].map((id) => ({ id, name: id }))]),
    )
    const three = buildRoomShell(createHallLayout(teams))
    const vertices = (group: typeof six) =>
      group.children.reduce((sum, mesh) => sum + (mesh as Mesh).geometry.getAttribute('position').count, 0)
    expect(six.children.length).toBe(three.children.length + 3)
    expect(vertices(six)).toBeGreaterThan(vertices(three))
  })
})
