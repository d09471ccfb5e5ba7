import { objectSpec, UnknownObjectError } from '../pardot/catalogue';
import type { StreamDefinition } from './definePipeline';
import { UsageError } from './cliArgs';

/**
 * The streams `--objects` asks for, by catalogue name (`visitorActivity`), table name
 * (`visitor_activity`) or v5 collection. An unknown name, or one the pipeline has no stream
 * for, is a UsageError that lists what the pipeline offers.
 */
export function selectStreams(
  streams: StreamDefinition[],
  objects: string[] | undefined,
): StreamDefinition[] {
  if (!objects) return streams;

  const offered = streams.map((s) => s.object);
  const wanted = new Set<string>();
  for (const name of objects) {
    let object: string;
    try {
      object = objectSpec(name).name;
    } catch (error) {
      if (error instanceof UnknownObjectError) {
        throw new UsageError(
          `--objects: unknown object '${name}'; choose from ${offered.join(', ')}`,
        );
      }
      throw error;
    }
    if (!offered.includes(object)) {
      throw new UsageError(
        `--objects: this pipeline has no '${object}' stream; choose from ${offered.join(', ')}`,
      );
    }
    wanted.add(object);
  }
  return streams.filter((s) => wanted.has(s.object));
}
