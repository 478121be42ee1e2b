import { useRef, useState } from 'react'
import type { PlayerInput } from './scene/Player'

const RADIUS_PX = 44

/** A touch joystick for phones: drag the knob to walk; it shows only on touch screens. */
export function Joystick({ input }: { input: PlayerInput }) {
  const base = useRef<HTMLDivElement>(null)
  const [knob, setKnob] = useState({ x: 0, y: 0 })
  const isTouch = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches
  if (!isTouch) return null
  const move = (clientX: number, clientY: number) => {
    const rect = base.current?.getBoundingClientRect()
    if (!rect) return
    let x = clientX - (rect.left + rect.width / 2)
    let y = clientY - (rect.top + rect.height / 2)
    const length = Math.hypot(x, y)
    if (length > RADIUS_PX) {
      x = (x / length) * RADIUS_PX
      y = (y / length) * RADIUS_PX
    }
    setKnob({ x, y })
    input.joystick.x = x / RADIUS_PX
    input.joystick.y = -y / RADIUS_PX
    input.target = undefined
  }
  const release = () => {
    setKnob({ x: 0, y: 0 })
    input.joystick.x = 0
    input.joystick.y = 0
  }
  return (
    <div
      ref={base}
      className="hall-joystick"
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId)
        move(event.clientX, event.clientY)
      }}
      onPointerMove={(event) => {
        if (event.buttons > 0 || event.pointerType === 'touch') move(event.clientX, event.clientY)
      }}
      onPointerUp={release}
      onPointerCancel={release}
    >
      <div className="hall-joystick-knob" style={{ transform: `translate(${knob.x}px, ${knob.y}px)` }} />
    </div>
  )
}
