/** `bpfsim init`: every combination of its choices writes a model that loads, with the choices in it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.js';
import { ATTACH_TYPES } from '../src/model/kernel.js';
import { parseChoices, renderTemplate, TEMPLATE_CONSUMERS, TEMPLATE_OUTPUTS } from '../src/model/template.js';

const RATES = ['1', '200k', '1.5M', '100M'];
const CPUS = ['1', '4', '256'];
const EVENT_BYTES = ['1', '64', '65512'];

describe('bpfsim init', () => {
  it('every combination of --attach, --output, --consumer (and rates, CPUs, event sizes across their range) loads', () => {
    let n = 0;
    for (const attach of ATTACH_TYPES) {
      for (const output of TEMPLATE_OUTPUTS) {
        for (const consumer of TEMPLATE_CONSUMERS) {
          for (const [i, rate] of RATES.entries()) {
            const cpus = CPUS[(i + n) % CPUS.length];
            const eventBytes = EVENT_BYTES[(i + 2 * n) % EVENT_BYTES.length];
            const { choices, problems } = parseChoices({ attach, output, consumer, rate, cpus, eventBytes });
            expect(problems).toEqual([]);
            const text = renderTemplate(choices);
            const { model, scenario } = loadModel({ text, file: `init-${attach}-${output}-${consumer}-${rate}.yaml` });
            expect(model.probes[0].attach).toBe(attach);
            expect(model.output.type).toBe(output);
            expect(model.consumer.runtime).toBe(consumer);
            expect(scenario.traffic.rate).toBe(choices.rate);
            expect(scenario.cpus).toBe(Number(cpus));
            n++;
          }
        }
      }
    }
    expect(n).toBe(ATTACH_TYPES.length * 2 * 2 * RATES.length);
  });

  it('the CLI writes the model (flags as in the README), refuses to overwrite, and rejects bad choices in one line each (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-init-'));
    const out = join(dir, 'tool.yaml');
    const bin = join(__dirname, '..', 'bin', 'bpfsim.js');
    execFileSync('node', [bin, 'init', '--attach', 'tracepoint', '--output', 'ringbuf', '--consumer', 'bcc-python', '--rate', '200k', '--out', out], { stdio: 'pipe' });
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^ {4}attach: tracepoint /m);
    expect(loadModel({ file: out }).scenario.traffic.rate).toBe(200e3);
    const again = (() => {
      try {
        execFileSync('node', [bin, 'init', '--out', out], { stdio: 'pipe' });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    })();
    expect(again).toBe(2);
    try {
      execFileSync('node', [bin, 'init', '--attach', 'kprobes', '--rate', 'fast'], { stdio: 'pipe' });
      expect.unreachable();
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      expect(err.status).toBe(2);
      const lines = err.stderr.toString().trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(/^bpfsim: --attach: expected one of kprobe, .*, got "kprobes"$/),
        expect.stringMatching(/^bpfsim: --rate: expected a packet rate .*, got "fast"$/),
      ]);
    }
  });
});
