export * from './benchSettings'
export * from './doubles'
export * from './fixtures'
