export * from './doubles'
export * from './fixtures'
