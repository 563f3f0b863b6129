// result.json → OSCAL 1.1.3 assessment-results (JSON). Every uuid is derived from the content it
// names (UUID v5), so the same result.json gives the same document.
import { createHash } from 'node:crypto';
import { frameworkControlIdToOscalId } from '../catalog/control-id.ts';
import { linesFileNames, linesTotal, type BaselineStatus, type EvidenceItem, type JsonLinesFile, type Result } from '../evaluate/result.ts';
import { LazyList } from '../core/json-stream.ts';
import { mediaTypeOf } from '../core/media-type.ts';

export const oscalVersion = '1.1.3';
/** Namespace of this tool's own OSCAL properties. */
export const propNamespace = 'urn:evidence-pack:oscal';

/** RFC 4122 version-5 uuid of the given parts. */
export function derivedUuid(...parts: string[]): string {
  const h = createHash('sha1').update('evidence-pack\0').update(parts.join('\0')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const prop = (name: string, value: string) => ({ name, ns: propNamespace, value });

/** Back-matter resources for a JSON-lines file of the pack, one per part. */
const linesResources = (parts: JsonLinesFile[], what: string) =>
  parts.map((f, i) => ({
    path: f.file,
    sha256: f.sha256,
    title: `${what}${parts.length > 1 ? `, part ${i + 1} of ${parts.length}` : ''} (${f.count}, JSON lines${f.file.endsWith('.gz') ? ', gzip' : ''})`,
  }));

function targetStatus(status: BaselineStatus, attested: boolean): { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other'; remarks: string } {
  switch (status) {
    case 'pass':
      return { state: 'satisfied', reason: 'pass', remarks: 'Automated evidence passes.' };
    case 'fail':
      return { state: 'not-satisfied', reason: 'fail', remarks: 'Automated evidence fails.' };
    case 'gap':
      return { state: 'not-satisfied', reason: 'other', remarks: 'Evidence gap: the evidence could not be collected or established.' };
    case 'waived':
      return { state: 'not-satisfied', reason: 'other', remarks: 'Failing under an active waiver (risk accepted by the customer).' };
    case 'manual':
      return attested
        ? { state: 'satisfied', reason: 'other', remarks: 'Satisfied by a current customer attestation, not by automated evidence.' }
        : { state: 'not-satisfied', reason: 'other', remarks: 'Manual control: an attestation is needed.' };
    case 'inherited':
      return { state: 'satisfied', reason: 'other', remarks: 'Inherited from AWS under the shared responsibility model.' };
    case 'not-applicable':
      return { state: 'satisfied', reason: 'other', remarks: 'Not applicable: no resource in scope; absence recorded as evidence.' };
    case 'not-assessed':
      return { state: 'not-satisfied', reason: 'other', remarks: 'Not assessed by this catalog.' };
  }
}

export function renderOscal(result: Result, packId: string): object {
  const seed = `${packId}\0${result.generatedAt}`;
  const toolUuid = derivedUuid(seed, 'tool');
  const methodUuid = derivedUuid(seed, 'method');
  const fileUuid = new Map<string, string>();
  const backMatter = [
    {
      uuid: methodUuid,
      title: `Assessment method: catalog ${result.catalog.name} ${result.catalog.version}`,
      description: `Built-in checks and AWS Config rule results evaluated by ${result.tool.name} ${result.tool.version}; catalog sha256 ${result.catalog.digest}.`,
    },
    ...result.evidence.files.map((f) => ({ path: f.path, sha256: f.sha256, title: `Evidence file ${f.path} (${f.kind}; sha256 as received ${f.sourceSha256})` })),
    ...result.attestations.flatMap((a) => a.evidence.map((e) => ({ path: e.path, sha256: e.sha256, title: `Attestation evidence for ${a.control}` }))),
    ...result.controls.flatMap((c) => linesResources(c.items ?? [], `Every evidence item of ${c.id}`)),
    ...linesResources(result.inventory ?? [], 'Every resource evaluated'),
  ].map((r) => {
    if (!('path' in r)) return r;
    const uuid = derivedUuid(seed, 'file', r.path);
    fileUuid.set(r.path, uuid);
    return { uuid, title: r.title, rlinks: [{ href: r.path, 'media-type': mediaTypeOf(r.path).split(';')[0], hashes: [{ algorithm: 'SHA-256', value: r.sha256 }] }] };
  });

  // A subject per resource (or account and region) that a listed item names: its uuid settled here, its inventory
  // item written from the first item that named it (a large estate lists hundreds of thousands of failing items).
  const inventory = new Map<string, { uuid: string; item: EvidenceItem }>();
  const subjectKey = (item: EvidenceItem) => (item.resource ? `${item.account}/${item.region}/${item.resource.type}/${item.resource.id}` : `${item.account}/${item.region}`);
  const describe = (item: EvidenceItem) => (item.resource ? `${item.resource.type} ${item.resource.id} in ${item.account}/${item.region}` : `AWS account ${item.account}, region ${item.region}`);
  const subjectFor = (item: EvidenceItem) => {
    const key = subjectKey(item);
    let inv = inventory.get(key);
    if (!inv) inventory.set(key, (inv = { uuid: derivedUuid(seed, 'subject', key), item }));
    return { 'subject-uuid': inv.uuid, type: 'inventory-item', title: describe(inv.item) };
  };
  // Observations are written as they are made (a large estate has hundreds of thousands); their uuids are derived
  // again where findings point at them, and subjects are settled first, since the inventory comes before them.
  // A large estate's passing items are not listed one by one (result.json lists the first few): one observation
  // per control counts the rest and points at the control's items file, which holds every item.
  const unlisted = (c: Result['controls'][number]) => (c.items ? linesTotal(c.items).count - c.evidence.length : 0);
  const observationCount = (c: Result['controls'][number]) => c.evidence.length + (unlisted(c) > 0 ? 1 : 0);
  const observationUuid = (c: Result['controls'][number], i: number) => derivedUuid(seed, 'observation', c.id, i < c.evidence.length ? String(i) : 'unlisted');
  for (const c of result.controls) for (const item of c.evidence) subjectFor(item);
  const inventoryItems = new LazyList(inventory.size, function* () {
    for (const { uuid, item } of inventory.values()) {
      yield {
        uuid,
        description: describe(item),
        props: [
          prop('account', item.account),
          prop('region', item.region),
          ...(item.resource ? [prop('resource-type', item.resource.type), prop('resource-id', item.resource.id)] : []),
          ...(item.resource?.arn ? [{ name: 'asset-id', value: item.resource.arn }] : []),
        ],
      };
    }
  });
  const observations = new LazyList(
    result.controls.reduce((n, c) => n + observationCount(c), 0),
    function* () {
      for (const c of result.controls) {
        for (const [i, item] of c.evidence.entries()) {
          const source =
            item.source.kind === 'check'
              ? `built-in check ${item.source.id}`
              : item.source.kind === 'config-rule'
                ? `AWS Config rule ${item.source.ruleName} (${item.source.rule})`
                : `coverage of ${item.source.api}`;
          yield {
            uuid: observationUuid(c, i),
            title: `${c.id}: ${item.status}`,
            description: `${item.message} [${source}]`,
            props: [prop('catalog-control', c.id), prop('evidence-status', item.status), ...(item.waiver ? [prop('waiver', item.waiver.id)] : [])],
            methods: ['TEST'],
            types: [item.status === 'fail' || item.status === 'gap' ? 'finding' : 'control-objective'],
            origins: [{ actors: [{ type: 'tool', 'actor-uuid': toolUuid }] }],
            subjects: [subjectFor(item)],
            ...(item.origin
              ? {
                  'relevant-evidence': [
                    {
                      href: `#${fileUuid.get(item.origin.file) ?? derivedUuid(seed, 'file', item.origin.file)}`,
                      description: `${item.origin.file}${item.origin.pointer ? ` at ${item.origin.pointer}` : ''} (${item.origin.api})`,
                    },
                  ],
                }
              : {}),
            collected: item.observedAt,
          };
        }
        if (unlisted(c) > 0) {
          const shown = (s: 'pass' | 'not-applicable') => c.counts[s] - c.evidence.filter((i) => i.status === s).length;
          yield {
            uuid: observationUuid(c, c.evidence.length),
            title: `${c.id}: ${unlisted(c)} further items`,
            description: `${shown('pass')} passing and ${shown('not-applicable')} not-applicable evidence items are not listed one by one; ${linesFileNames(c.items!)} ${c.items!.length === 1 ? 'holds' : 'hold'} every item of the control.`,
            props: [prop('catalog-control', c.id), prop('unlisted-items', String(unlisted(c)))],
            methods: ['TEST'],
            types: ['control-objective'],
            origins: [{ actors: [{ type: 'tool', 'actor-uuid': toolUuid }] }],
            'relevant-evidence': c.items!.map((f) => ({ href: `#${fileUuid.get(f.file)}`, description: `${f.file} (${f.count} items, sha256 ${f.sha256})` })),
            collected: result.evidence.collectedAt,
          };
        }
      }
    },
  );

  const byId = new Map(result.controls.map((c) => [c.id, c]));
  // A finding per assessed control of every framework that lists all its controls (baselines, a user's control set).
  const assessed = result.frameworks.filter((f) => f.list === 'all').flatMap((f) => f.rows.filter((r) => r.status !== 'not-assessed').map((row) => ({ framework: f, row })));
  const reviewed = [...new Set(assessed.map(({ row }) => frameworkControlIdToOscalId(row.id)))];
  const findings = assessed.map(({ framework, row }) => {
    const via = row.via.map((id) => byId.get(id)!);
    const attested = row.status === 'manual' && via.filter((c) => c.status === 'manual').every((c) => c.attestations.some((a) => a.state === 'valid'));
    // Written as it is read: a large estate's baseline rows each point at hundreds of thousands of observations.
    const related = new LazyList(
      via.reduce((n, c) => n + observationCount(c), 0),
      function* () {
        for (const c of via) for (let i = 0; i < observationCount(c); i++) yield { 'observation-uuid': observationUuid(c, i) };
      },
    );
    return {
      uuid: derivedUuid(seed, 'finding', framework.id, row.id),
      title: `${framework.label} ${row.id} ${row.title}`,
      description: [
        ...via.map((c) => `${c.id} ${c.title}: ${c.status} (${c.statusReason})`),
        ...row.rules.map((r) => `AWS Config rule ${r.rule}: ${r.status} (${r.results} results; ${r.source})`),
        ...(row.inherits ?? []).map((i) => `inherited from ${i.framework} ${i.id}: ${i.status}`),
      ].join('\n'),
      props: [prop('framework', framework.id), prop('evidence-pack-status', row.status), ...via.map((c) => prop('catalog-control', c.id))],
      target: { type: 'statement-id', 'target-id': `${frameworkControlIdToOscalId(row.id)}_smt`, status: targetStatus(row.status, attested) },
      ...(related.length ? { 'related-observations': related } : {}),
    };
  });

  return {
    'assessment-results': {
      uuid: derivedUuid(seed, 'document'),
      metadata: {
        title: `${result.organization}: ${result.catalog.title}`,
        'last-modified': result.generatedAt,
        version: packId,
        'oscal-version': oscalVersion,
        parties: [{ uuid: derivedUuid(seed, 'organization'), type: 'organization', name: result.organization }],
        props: [prop('tool', `${result.tool.name} ${result.tool.version}`), prop('catalog-digest', result.catalog.digest)],
      },
      'import-ap': { href: `#${methodUuid}` },
      results: [
        {
          uuid: derivedUuid(seed, 'result'),
          title: `Evidence pack ${packId}`,
          description: `Automated assessment of AWS accounts ${result.evidence.scope.accounts.join(', ')} in ${result.evidence.scope.regions.join(', ')} from evidence collected ${result.evidence.collectedAt} (${result.evidence.collector.method}).`,
          start: result.evidence.collectedAt,
          end: result.generatedAt,
          'local-definitions': {
            components: [
              {
                uuid: toolUuid,
                type: 'software',
                title: result.tool.name,
                description: `${result.tool.name} ${result.tool.version}: evidence collection and evaluation tool`,
                status: { state: 'operational' },
              },
            ],
            ...(inventory.size ? { 'inventory-items': inventoryItems } : {}),
          },
          'reviewed-controls': { 'control-selections': [{ 'include-controls': reviewed.map((id) => ({ 'control-id': id })) }] },
          ...(observations.length ? { observations } : {}),
          ...(findings.length ? { findings } : {}),
        },
      ],
      'back-matter': { resources: backMatter },
    },
  };
}
