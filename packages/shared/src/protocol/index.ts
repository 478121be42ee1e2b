export * from './clientFrames'
export { CloseCode } from './closeCodes'
export { PROTOCOL_VERSION, parseClientFrame, parseServerFrame, refOfFrame } from './parse'
export * from './serverFrames'
