/**
 * Query path memory: peak RSS of a 30-day visitor-activity pull in daily windows, five at a
 * time, at about 100,000 and 1,000,000 rows (sandbox latency 0), into Parquet and NDJSON;
 * each run in its own process. Memory should not grow with the rows: the larger run may use
 * at most 1.2 times the smaller one's, and under 300 MiB.
 *
 * Run: npx ts-node bench/query-memory.ts [sizes=100000,1000000]
 */
import { checked, countText, figureTable, info, secondsText, type Figure } from './lib/figures';
import { measureInChild, type Format } from './lib/pipelineChild';

const MAX_GROWTH = 1.2;
const MAX_RSS_MIB = 300;

/** Figures of the query path's memory for one sink format. */
export function measureQueryMemory(format: Format, sizes = [100_000, 1_000_000]): Figure[] {
  const runs = sizes.map((rows) => measureInChild('query', rows, format));
  const [small, large] = [runs[0], runs[runs.length - 1]];
  const growth = large.peakRssMiB / small.peakRssMiB;
  const figures = runs.map((r) =>
    info(
      `query ${countText(r.rows)} rows -> ${format}: peak RSS`,
      `${r.peakRssMiB} MiB (${secondsText(r.ms)}, ${countText(r.rowsPerSecond)} rows/s)`,
    ),
  );
  return [
    ...figures,
    checked(
      `query -> ${format}: peak RSS large / small`,
      growth.toFixed(2),
      `<= ${MAX_GROWTH}`,
      growth <= MAX_GROWTH,
    ),
    checked(
      `query -> ${format}: peak RSS of the large run`,
      `${large.peakRssMiB} MiB`,
      `< ${MAX_RSS_MIB} MiB`,
      large.peakRssMiB < MAX_RSS_MIB,
    ),
  ];
}

function main(): void {
  const sizes = process.argv[2]?.split(',').map(Number);
  const figures = (['parquet', 'ndjson'] as const).flatMap((f) => measureQueryMemory(f, sizes));
  process.stdout.write(`${figureTable(figures)}\n`);
}

if (require.main === module) main();
