export { definePipeline } from './definePipeline';
export type { PipelineContext, PipelineDefinition, StreamDefinition } from './definePipeline';
export { runMain, runPipeline, type RunPipelineOptions } from './runPipeline';
export { UsageError, type CliArgs } from './cliArgs';
export { EXIT } from './exitCodes';
export { nextDay } from './nextDay';
export { ALL_VISITORS, QUERY_OBJECTS, queryStreams } from './queryStreams';
export { pendingDays, rememberedEnd } from './rememberedPlan';
