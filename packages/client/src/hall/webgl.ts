/** True when this browser can draw the hall (WebGL 2, as current three.js needs). Kept out of the hall chunk. */
export function canShowHall(): boolean {
  try {
    return document.createElement('canvas').getContext('webgl2') !== null
  } catch {
    return false
  }
}
