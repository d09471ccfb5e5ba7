import type { TimeWindow } from '../sources/types';
import type { StreamDefinition } from './definePipeline';

/** A stream's windows in order. Window observables are synchronous, so this returns at once. */
export function plannedWindows(stream: StreamDefinition): TimeWindow[] {
  const windows: TimeWindow[] = [];
  stream.windows.subscribe((w) => windows.push(w)).unsubscribe();
  return windows;
}
