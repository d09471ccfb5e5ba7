/**
 * Every benchmark, one after the other, then one table: figure, value, target, met?.
 * Each script also runs alone (see its header). Peak-memory figures come from runs in their
 * own child processes; the sandbox always runs in a child of its own.
 *
 * Run: npm run bench            (add --markdown for the README table)
 */
import { measureExportPath } from './export-path';
import { figureMarkdown, figureTable, info, type Figure } from './lib/figures';
import { measurePolls } from './poll-calls';
import { measureQueryMemory } from './query-memory';
import { measureQueryPath } from './query-path';
import { measureStartup } from './startup';

async function main(): Promise<void> {
  const started = performance.now();
  const figures: Figure[] = [];
  const step = (label: string) => process.stderr.write(`bench: ${label}...\n`);

  step('query path with 50 ms latency, 5 in flight and one at a time');
  figures.push(...(await measureQueryPath()));
  step('export path, 1,000,000 rows');
  figures.push(...measureExportPath('parquet'), ...measureExportPath('ndjson'));
  step('query path memory, 100,000 and 1,000,000 rows');
  figures.push(...measureQueryMemory('parquet'), ...measureQueryMemory('ndjson'));
  step('start-up');
  figures.push(...measureStartup());
  figures.push(...measurePolls());
  const machine = `${require('node:os').cpus().length} cores, Node ${process.version}`;
  figures.push(
    info(
      'machine; bench wall time',
      `${machine}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
    ),
  );

  const markdown = process.argv.includes('--markdown');
  process.stdout.write(`${markdown ? figureMarkdown(figures) : figureTable(figures)}\n`);
}

void main();
