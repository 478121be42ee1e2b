export * from './clientFrames'
export { CloseCode } from './closeCodes'
export * from './dashboard'
export * from './knowledge'
export {
  PROTOCOL_VERSION,
  parseClientFrame,
  parseServerFrame,
  refOfFrame,
  UNREADABLE_MESSAGE_BODY,
} from './parse'
export * from './rest'
export * from './serverFrames'
