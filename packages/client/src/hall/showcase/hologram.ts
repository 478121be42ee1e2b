import { AdditiveBlending, Color, DoubleSide, ShaderMaterial } from 'three'

const VERTEX = /* glsl */ `
varying vec3 vNormal;
varying vec3 vView;
varying float vHeight;
void main() {
  vec4 world = modelMatrix * vec4(position, 1.0);
  vHeight = world.y;
  vec4 view = viewMatrix * world;
  vView = normalize(-view.xyz);
  vNormal = normalize(normalMatrix * normal);
  gl_Position = projectionMatrix * view;
}`

// Fresnel rim (edges glow, faces seen head-on stay faint), moving scan lines, a slight flicker,
// drawn additively: the look of a projected hologram rather than a solid object.
const FRAGMENT = /* glsl */ `
uniform vec3 uColour;
uniform float uTime;
varying vec3 vNormal;
varying vec3 vView;
varying float vHeight;
void main() {
  float fresnel = pow(1.0 - abs(dot(normalize(vNormal), normalize(vView))), 2.0);
  float scan = 0.6 + 0.4 * step(0.5, fract(vHeight * 22.0 - uTime * 1.2));
  float flicker = 0.93 + 0.07 * sin(uTime * 31.0) * sin(uTime * 7.0);
  float alpha = (0.18 + fresnel * 0.95) * scan * flicker;
  gl_FragColor = vec4(uColour * (0.55 + fresnel * 1.6), alpha);
}`

/** The showcase's hologram material in one colour; advance it with `tickHologram`. */
export function createHologramMaterial(colour: string): ShaderMaterial {
  return new ShaderMaterial({
    uniforms: { uColour: { value: new Color(colour) }, uTime: { value: 0 } },
    vertexShader: VERTEX,
    fragmentShader: FRAGMENT,
    transparent: true,
    depthWrite: false,
    side: DoubleSide,
    blending: AdditiveBlending,
  })
}

export function tickHologram(material: ShaderMaterial, seconds: number): void {
  const time = material.uniforms.uTime
  if (time) time.value = seconds
}
