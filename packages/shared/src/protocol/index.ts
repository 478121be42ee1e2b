export * from './clientFrames'
export { PROTOCOL_VERSION, parseClientFrame, parseServerFrame } from './parse'
export * from './serverFrames'
