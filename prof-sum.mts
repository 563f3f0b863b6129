import { readFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2];
const f = readdirSync(dir).find((x) => x.endsWith('.cpuprofile'))!;
const p = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
const self = new Map<number, number>();
const dt = p.timeDeltas as number[];
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
const byId = new Map(p.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfBy = new Map<string, number>();
const totalBy = new Map<string, number>();
const name = (n: any) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`;
for (const [id, t] of self) {
  const n: any = byId.get(id);
  selfBy.set(name(n), (selfBy.get(name(n)) ?? 0) + t);
  const seen = new Set<string>();
  for (let cur: any = id; cur !== undefined; cur = parent.get(cur)) {
    const kk = name(byId.get(cur));
    if (seen.has(kk)) continue; seen.add(kk);
    totalBy.set(kk, (totalBy.get(kk) ?? 0) + t);
  }
}
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 32).map(([k, v]) => `${(v / 1e6).toFixed(2)}s ${k}`).join('\n');
console.log('SELF\n' + top(selfBy) + '\n\nTOTAL\n' + top(totalBy));
