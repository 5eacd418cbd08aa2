/** `bpfsim catalog [SECTION]`: the cost catalog with the source of every number. */
import type { Command } from 'commander';
import { loadCatalog } from '../model/catalog.js';
import { UsageError } from './errors.js';

export function registerCatalog(program: Command): void {
  program
    .command('catalog')
    .description('print the cost catalog (or one section, e.g. "attach" or "consumer.bcc-python") with sources')
    .argument('[section]', 'a catalog path prefix')
    .option('--catalog <name|file>', 'default, static, or a catalog YAML file', 'default')
    .option('--json', 'print as JSON')
    .action((section: string | undefined, o: { catalog: string; json?: boolean }) => {
      const catalog = loadCatalog(o.catalog);
      const rows = catalog.provenance.filter((p) => !section || p.path === section || p.path.startsWith(section + '.'));
      if (rows.length === 0) {
        const sections = [...new Set(catalog.provenance.map((p) => p.path.split('.')[0]))];
        throw new UsageError(`no catalog entry under "${section}" (sections: ${sections.join(', ')})`);
      }
      if (o.json) {
        process.stdout.write(JSON.stringify({ profile: catalog.profile, description: catalog.description, entries: rows }, null, 2) + '\n');
        return;
      }
      const w = Math.max(...rows.map((r) => r.path.length));
      const v = Math.max(...rows.map((r) => r.value.length));
      const lines = [`catalog ${catalog.profile}: ${catalog.description}`, ''];
      for (const r of rows) {
        const flag = r.assumption ? ' [assumption]' : '';
        lines.push(`${r.path.padEnd(w)}  ${r.value.padEnd(v)}  ${r.source}${flag}`);
        if (r.note) lines.push(`${''.padEnd(w + v + 4)}note: ${r.note}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
