/** `bpfsim catalog [SECTION]`: the cost catalog with the source of every number. */
import type { Command } from 'commander';
import { catalogForHost, loadCatalog } from '../model/catalog.js';
import { HOST_CLASSES, type HostClass } from '../model/catalog-types.js';
import { UsageError } from './errors.js';

export function registerCatalog(program: Command): void {
  program
    .command('catalog')
    .description('print the cost catalog (or one section, e.g. "attach" or "consumer.bcc-python") with sources')
    .argument('[section]', 'a catalog path prefix')
    .option('--catalog <name|file>', 'default, static, or a catalog YAML file', 'default')
    .option('--host <class>', `the catalog as it applies on this host class (${HOST_CLASSES.join(' | ')})`)
    .option('--json', 'print as JSON')
    .action((section: string | undefined, o: { catalog: string; host?: string; json?: boolean }) => {
      if (o.host !== undefined && !(HOST_CLASSES as readonly string[]).includes(o.host)) {
        throw new UsageError(`--host: expected ${HOST_CLASSES.join(' or ')}, got ${JSON.stringify(o.host)}`);
      }
      const loaded = loadCatalog(o.catalog);
      const catalog = o.host === undefined ? loaded : catalogForHost(loaded, o.host as HostClass);
      const rows = catalog.provenance.filter((p) => !section || p.path === section || p.path.startsWith(section + '.'));
      if (rows.length === 0) {
        const sections = [...new Set(catalog.provenance.map((p) => p.path.split('.')[0]))];
        throw new UsageError(`no catalog entry under "${section}" (sections: ${sections.join(', ')})`);
      }
      if (o.json) {
        process.stdout.write(JSON.stringify({ profile: catalog.profile, host: catalog.host, description: catalog.description, entries: rows }, null, 2) + '\n');
        return;
      }
      const w = Math.max(...rows.map((r) => r.path.length));
      const v = Math.max(...rows.map((r) => r.value.length));
      const classes = Object.keys(catalog.hostOverlays).filter((c) => c !== catalog.host);
      const hostLine = `host class: ${catalog.host}${catalog.hostNote ? ` (${catalog.hostNote})` : ''}${classes.length > 0 ? `; also has entries for ${classes.join(', ')} (--host)` : ''}`;
      const lines = [`catalog ${catalog.profile}: ${catalog.description}`, hostLine, ''];
      for (const r of rows) {
        const flag = r.assumption ? ' [assumption]' : '';
        lines.push(`${r.path.padEnd(w)}  ${r.value.padEnd(v)}  ${r.source}${flag}`);
        if (r.note) lines.push(`${''.padEnd(w + v + 4)}note: ${r.note}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
