import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadCatalog } from '../src/catalog/load.ts';
import { checksById } from '../src/checks/index.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { readSnapshot } from '../src/evidence/read.ts';
import { redactText } from '../src/redact/detect.ts';
import { renderHtml } from '../src/render/html.ts';
import { listFiles, onlyPack, runCliInProcess, sampleDir, tempDir } from './helpers.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"'`=]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' })[c]!);

describe('hostile values in configuration items', () => {
  it('are rendered inert in HTML, PDF and CSV, and the PDF browser makes no request', async (t) => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end('root:x:0:0:leaked');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const work = tempDir(t);
    const evidence = join(work, 'evidence');
    cpSync(sampleDir, evidence, { recursive: true });
    const file = join(
      evidence,
      'config-snapshots',
      readdirSync(join(evidence, 'config-snapshots')).find((f) => f.startsWith('111111111111_Config_us-east-1'))!,
    );
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const payloads = {
      script: `<script>fetch('${base}/script')</script>`,
      style: `</style><img src="${base}/img" onerror="alert(1)">`,
      css: `x{background:url(${base}/css)}`,
      link: 'javascript:alert(document.domain)',
      template: "{{constructor.constructor('return process')()}}",
      formula: `=HYPERLINK("${base}/csv","click")`,
      plus: '+cmd|/C calc',
      at: '@SUM(1+1)*cmd|x',
      file: 'file:///etc/passwd',
      metadata: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      bidi: 'invoice\u202Efdp.exe',
      control: 'bell\u0007null\u0000end',
      long: 'A'.repeat(5000),
    };
    const ws = doc.configurationItems.find((i: any) => i.resourceId === 'ws-b8n3p5r2t');
    ws.tags = { ...ws.tags, ...payloads };
    ws.resourceName = payloads.style;
    const stack = doc.configurationItems.find((i: any) => i.resourceId === 'analyst-stack');
    stack.configuration.RedirectURL = `${base}/redirect`;
    stack.configuration.Description = payloads.script;
    stack.resourceName = payloads.template;
    writeFileSync(file, JSON.stringify(doc));

    const r = await runCliInProcess(['run', '--evidence', evidence, '--out', join(work, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    const pack = onlyPack(join(work, 'out'));
    assert.equal(hits, 0, 'no request reached the server');

    const html = readFileSync(join(pack, 'report.html'), 'utf8');
    assert.ok(!/<script|<img|onerror=|javascript:|url\(http/i.test(html), 'no live markup from data');
    assert.ok(html.includes('&lt;/style&gt;&lt;img src&#x3D;&quot;'), 'the payload is shown, escaped');
    assert.ok(html.includes('{{constructor.constructor(&#x27;return process&#x27;)()}}'), 'template syntax in data is shown, not run');

    const text = execFileSync('pdftotext', [join(pack, 'report.pdf'), '-'], { encoding: 'utf8' });
    assert.ok(!text.includes('root:x:0:0'), 'no file or server content in the PDF');
    assert.ok(text.includes('</style><img'), 'the PDF shows the value as text');

    const csv = readFileSync(join(pack, 'evidence.csv'), 'utf8');
    for (const line of csv.split('\r\n')) {
      for (const cell of line.split(',')) assert.ok(!/^"?[=+@]/.test(cell) || cell.startsWith("'") || cell.startsWith(`"'`), `formula cell: ${cell.slice(0, 60)}`);
    }
    for (const f of listFiles(pack).filter((f) => f.endsWith('.json'))) JSON.parse(readFileSync(join(pack, f), 'utf8'));
    const oscal = readFileSync(join(pack, 'oscal-assessment-results.json'), 'utf8');
    assert.ok(!oscal.includes('<script'), 'OSCAL carries no markup unescaped by JSON');
    t.diagnostic(`hostile/injection: ${Object.keys(payloads).length} payloads in tags, names and configuration, checked in HTML, PDF, CSV, OSCAL and JSON: 0 live markup, 0 formula cells`);
    t.diagnostic(
      `hostile/ssrf: ${[payloads.script, payloads.style, payloads.css, payloads.file, payloads.metadata, stack.configuration.RedirectURL].length} URLs (metadata service, file://, a server on 127.0.0.1): ${hits} requests, no file content in the PDF`,
    );
  });

  it('cannot break out of the HTML, whatever the string (property-based)', async (t) => {
    const catalog = loadCatalog(new Set(checksById.keys()));
    const snapshot = await readSnapshot(sampleDir);
    const target = snapshot.resources.find((x) => x.id === 'ws-b8n3p5r2t')!;
    const render = (name: string) => {
      target.name = name;
      const result = evaluate({ snapshot, catalog, checks: checksById, generatedAt: '2026-11-01T00:00:00.000Z', tool: { name: 't', version: '0' }, packPathOf: (p) => p });
      return renderHtml(result, { packId: 'pack-x' });
    };
    const baselineTags = (render('neutral-name').match(/</g) ?? []).length;
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }).filter((s) => redactText(s).findings.length === 0 && s !== target.id),
        (name) => {
          const html = render(name);
          assert.equal((html.match(/</g) ?? []).length, baselineTags, 'no element added or removed');
          assert.ok(html.includes(escapeHtml(name)), 'the value is present, escaped');
        },
      ),
      { numRuns: 60, seed: 20261123 },
    );
    t.diagnostic('hostile/property: 60 random names rendered, 0 elements added or removed');
  });
});
