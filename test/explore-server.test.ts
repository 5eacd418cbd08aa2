/**
 * `bpfsim explore`'s server and command line: it listens on 127.0.0.1 only, serves its page and
 * nothing else, refuses other methods, bodies and hosts; the command prints its URL first, writes
 * the same page with --html, and refuses what the page cannot run with one line and exit 2.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { serveExplore } from '../src/explore/server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/bpfsim.js');

function fetchRaw(port: number, opts: { method?: string; path?: string; host?: string; body?: string }): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: { Host: opts.host ?? `127.0.0.1:${port}`, ...(opts.body ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}) } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('explore server', async () => {
  const { server, url } = await serveExplore('<!doctype html><title>page</title>', 0);
  const port = Number(new URL(url).port);
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('listens on 127.0.0.1 only', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('serves its page with a CSP, and nothing else', async () => {
    const page = await fetchRaw(port, {});
    expect(page.status).toBe(200);
    expect(page.body).toBe('<!doctype html><title>page</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'.*connect-src 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await fetchRaw(port, { path: '/?set=output.pageCnt%3D64' })).status).toBe(200);
    for (const path of ['/etc/passwd', '/../package.json', '/dist/explore-web/page.js', '/index.js']) expect((await fetchRaw(port, { path })).status, path).toBe(404);
  });

  it('refuses other methods, request bodies and other hosts', async () => {
    expect((await fetchRaw(port, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await fetchRaw(port, { method: 'GET', body: 'xyz' })).status).toBe(413);
    expect((await fetchRaw(port, { host: 'evil.example:80' })).status).toBe(421);
    expect((await fetchRaw(port, { host: `localhost:${port}` })).status).toBe(200);
    const head = await fetchRaw(port, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
  });
});

describe('bpfsim explore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-explore-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its URL as the first line and serves the page until stopped', async () => {
    const child = spawn(process.execPath, [BIN, 'explore', '--no-open', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(first).toMatch(/^bpfsim explore: http:\/\/127\.0\.0\.1:\d+\/$/);
    const port = Number(/:(\d+)\/$/.exec(first)![1]);
    const page = await fetchRaw(port, {});
    expect(page.body).toContain('<title>bpfsim explore: per-packet tracer, perf buffer at BCC defaults</title>');
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  }, 30_000);

  it('--html writes the page the server serves', () => {
    const file = join(dir, 'page.html');
    const r = spawnSync(process.execPath, [BIN, 'explore', 'models/default.yaml', '--html', file, '--set', 'output.pageCnt=64'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('"set":["output.pageCnt=64"]');
    expect(html).toContain('"arg":"models/default.yaml"');
  });

  it('refuses a bad model, a trace model and a bad port with one line each and exit 2', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(join(ROOT, 'models/default.yaml'), 'utf8').replace('pageCnt: 8 ', 'pageCnt: 12 '));
    const trace = join(dir, 'trace.yaml');
    writeFileSync(join(dir, 't.txt'), '0\n1000\n2000\n');
    writeFileSync(trace, readFileSync(join(ROOT, 'models/default.yaml'), 'utf8').replace(/arrival: poisson\n  rate: 400k[^\n]*/, 'arrival: trace\n  trace: t.txt\n  loop: true'));
    for (const [args, pattern] of [
      [[bad], /bad\.yaml: output\.pageCnt: expected a power of two, got 12/],
      [[trace], /trace\.yaml: traffic\.arrival: expected arrivals the page can generate/],
      [['--port', '70000'], /--port: expected a port number 0-65535/],
    ] as [string[], RegExp][]) {
      const r = spawnSync(process.execPath, [BIN, 'explore', '--no-open', '--html', join(dir, 'x.html'), ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
