export { TokenBucket } from './TokenBucket'
