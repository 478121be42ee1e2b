/** The smallest valid PNG (1×1, transparent). */
export const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
)

/** The start of an AAC file in ADTS framing, as mini-program recorders write it. */
export const AAC_HEADER = Buffer.from('fff15080021ffc210049900200', 'hex')
