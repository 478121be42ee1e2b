export {
  DEMO_EXPERIMENTS,
  type Experiment,
  ExperimentSchema,
  ExperimentsSchema,
  type Variant,
  VariantSchema,
  variantFor,
} from './experiments'
export {
  type Comparison,
  compareMeans,
  compareShares,
  type Estimate,
  MIN_EVENTS,
  MIN_PER_ARM,
  meanEstimate,
  normalCdf,
  shareEstimate,
} from './statistics'
