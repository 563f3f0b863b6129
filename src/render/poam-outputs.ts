// poam.json → poam.csv and poam.xlsx in the FedRAMP POA&M template's column order, and an OSCAL 1.1.3
// plan-of-action-and-milestones document.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import Workbook from 'exceljs/lib/doc/workbook.js';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { controlIdToOscalId } from '../catalog/control-id.ts';
import { neutraliseFormula } from '../core/csv-field.ts';
import { derivedUuid, oscalVersion, propNamespace } from './oscal.ts';
import { writeJsonFile } from '../core/json-stream.ts';
import { remediationDays } from '../poam/risk.ts';
import type { PoamDocument, PoamItem } from '../poam/poam.ts';

export const poamOutputs = { csv: 'poam.csv', xlsx: 'poam.xlsx', oscal: 'oscal-poam.json' } as const;

/**
 * The FedRAMP POA&M template's columns A to AA, in its order: FedRAMP POA&M Template Completion Guide v2.2
 * (23 Nov 2021), Table "POA&M Items Column Information Description", as GSA/fedramp-automation renders them.
 */
export const fedrampColumns = [
  'POAM ID',
  'Controls',
  'Weakness Name',
  'Weakness Description',
  'Weakness Detector Source',
  'Weakness Source Identifier',
  'Asset Identifier',
  'Point of Contact',
  'Resources Required',
  'Overall Remediation Plan',
  'Original Detection Date',
  'Scheduled Completion Date',
  'Planned Milestones',
  'Milestone Changes',
  'Status Date',
  'Vendor Dependency',
  'Last Vendor Check-in Date',
  'Vendor Dependent Product Name',
  'Original Risk Rating',
  'Adjusted Risk Rating',
  'Risk Adjustment',
  'False Positive',
  'Operational Requirement',
  'Deviation Rationale',
  'Supporting Documents',
  'Comments',
  'Auto-Approve',
] as const;

/** This tool's columns after the template's (the template allows additions, not changes). */
export const extraColumns = ['Item Status', 'Overdue', 'Detected By Pack', 'Closed By Pack', 'Closed Date', 'Account', 'Region'] as const;

const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');

function deviationText(i: PoamItem): string {
  const d = i.deviation;
  if (!d) return '';
  return `Risk accepted by waiver ${d.waiver} (${d.state === 'active' ? `active until ${d.expires}` : `expired on ${d.expires}`}; owner ${d.owner}; ticket ${d.ticket}): ${d.reason}`;
}

function milestones(i: PoamItem): string {
  return `(1) ${day(i.scheduledCompletion)}: remediate (${i.remediation.split(/(?<=\.)\s/)[0]}) within the ${remediationDays[i.risk]}-day window for ${i.risk} risk; a later pack that no longer shows the weakness closes the item.`;
}

/** One row, the template's columns then ours; dates as YYYY-MM-DD. */
export function poamRow(i: PoamItem): string[] {
  const overdue = i.overdue ? `OVERDUE: scheduled completion ${day(i.scheduledCompletion)} is before the period end. ` : '';
  return [
    i.id,
    i.nist.join(', '),
    i.name,
    i.description,
    i.detector,
    i.sourceIdentifier,
    i.asset,
    i.deviation?.owner ?? '',
    '',
    i.remediation,
    day(i.detected.date),
    day(i.scheduledCompletion),
    milestones(i),
    i.milestoneChanges.join('\n'),
    day(i.statusDate),
    'No',
    '',
    '',
    i.risk,
    '',
    'No',
    'No',
    i.deviation ? (i.deviation.state === 'active' ? 'Yes' : 'Expired') : 'No',
    deviationText(i),
    i.supportingDocuments.join('\n'),
    `${overdue}${i.comments}`,
    'No',
    i.status,
    i.overdue ? 'yes' : 'no',
    i.detected.packId,
    i.closed?.packId ?? '',
    day(i.closed?.date),
    i.account,
    i.region,
  ];
}

const header = [...fedrampColumns, ...extraColumns];

export async function writePoamCsv(doc: PoamDocument, file: string): Promise<void> {
  const rows = [header as readonly string[], ...doc.items.map(poamRow)].map((r) => r.map(neutraliseFormula));
  await writeFile(file, stringify(rows, { record_delimiter: '\r\n' }));
}

/** A zip's entries again, in order, with one modification time: exceljs stamps each entry with the clock. */
async function withFixedTimes(zip: Buffer, mtime: Date): Promise<Buffer> {
  const reader = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(zip, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z!))));
  const out = new yazl.ZipFile();
  await new Promise<void>((resolve, reject) => {
    reader.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) {
        out.addEmptyDirectory(entry.fileName, { mtime });
        reader.readEntry();
        return;
      }
      reader.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream!.on('data', (c: Buffer) => chunks.push(c));
        stream!.on('end', () => {
          try {
            out.addBuffer(Buffer.concat(chunks), entry.fileName, { mtime, mode: 0o100644 });
            reader.readEntry();
          } catch (e) {
            reject(e);
          }
        });
        stream!.on('error', reject);
      });
    });
    reader.on('end', resolve);
    reader.on('error', reject);
    reader.readEntry();
  });
  out.end();
  const chunks: Buffer[] = [];
  for await (const c of out.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const dateColumns = new Set<string>(['Original Detection Date', 'Scheduled Completion Date', 'Status Date', 'Closed Date']);

/** poam.xlsx: "Open POA&M Items" and "Closed POA&M Items", as the FedRAMP template's two worksheets. */
export async function writePoamXlsx(doc: PoamDocument, file: string): Promise<void> {
  const wb = new Workbook();
  const at = new Date(doc.generatedAt);
  wb.creator = doc.organization;
  wb.lastModifiedBy = doc.organization;
  wb.created = at;
  wb.modified = at;
  wb.title = `Plan of Action and Milestones ${doc.period?.label ?? ''} (${doc.packId})`.replace(/ {2}/, ' ');
  const sheet = (name: string, items: PoamItem[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = header.map((h) => ({ header: h, key: h, width: dateColumns.has(h) ? 14 : h === 'Weakness Description' || h === 'Overall Remediation Plan' ? 60 : 24 }));
    ws.getRow(1).font = { bold: true };
    for (const i of items) {
      const values = poamRow(i).map((v, n) => (dateColumns.has(header[n]!) && v ? new Date(`${v}T00:00:00Z`) : neutraliseFormula(v)));
      ws.addRow(values);
    }
    for (const h of dateColumns) ws.getColumn(h).numFmt = 'yyyy-mm-dd';
  };
  sheet(
    'Open POA&M Items',
    doc.items.filter((i) => i.status !== 'closed'),
  );
  sheet(
    'Closed POA&M Items',
    doc.items.filter((i) => i.status === 'closed'),
  );
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  await writeFile(file, await withFixedTimes(buffer, at));
}

const prop = (name: string, value: string) => ({ name, ns: propNamespace, value });
const fedrampNs = 'https://fedramp.gov/ns/oscal';

/** OSCAL 1.1.3 plan-of-action-and-milestones: per item an observation, a risk and a poam-item (FedRAMP's OSCAL POA&M guide). */
export function renderOscalPoam(doc: PoamDocument): object {
  const seed = `${doc.packId}\0poam`;
  const toolUuid = derivedUuid(seed, 'tool');
  const subjects = new Map<string, string>();
  for (const i of doc.items) if (!subjects.has(i.asset)) subjects.set(i.asset, derivedUuid(seed, 'asset', i.asset));
  const observations = doc.items.map((i) => ({
    uuid: derivedUuid(seed, 'observation', i.id),
    title: i.name,
    description: i.description || i.name,
    props: [prop('poam-id', i.id), prop('finding', i.finding)],
    methods: ['TEST'],
    types: ['finding'],
    origins: [{ actors: [{ type: 'tool', 'actor-uuid': toolUuid }] }],
    subjects: [{ 'subject-uuid': subjects.get(i.asset)!, type: 'inventory-item', title: i.asset }],
    ...(i.supportingDocuments.length ? { 'relevant-evidence': i.supportingDocuments.map((p) => ({ href: p, description: `Pack file ${p}` })) } : {}),
    collected: i.detected.date,
  }));
  const risks = doc.items.map((i) => ({
    uuid: derivedUuid(seed, 'risk', i.id),
    title: i.name,
    description: i.description || i.name,
    statement: `${i.finding === 'gap' ? 'Evidence gap' : 'Weakness'} on ${i.asset}, detected ${day(i.detected.date)} by ${i.detected.packId}; original risk ${i.risk}.`,
    props: [...i.nist.map((c) => ({ name: 'impacted-control-id', ns: fedrampNs, value: controlIdToOscalId(c) })), ...(i.overdue ? [prop('overdue', 'true')] : [])],
    status: i.status === 'closed' ? 'closed' : i.status === 'risk-accepted' ? 'deviation-approved' : 'open',
    characterizations: [
      {
        origin: { actors: [{ type: 'tool', 'actor-uuid': toolUuid }] },
        facets: [
          { name: 'priority', system: fedrampNs, value: i.risk.toLowerCase() },
          { name: 'vulnerability-id', system: fedrampNs, value: i.sourceIdentifier },
        ],
      },
    ],
    deadline: i.scheduledCompletion,
    remediations: [{ uuid: derivedUuid(seed, 'remediation', i.id), lifecycle: 'planned', title: 'Overall remediation plan', description: i.remediation }],
    ...(i.milestoneChanges.length
      ? { 'risk-log': { entries: i.milestoneChanges.map((text, n) => ({ uuid: derivedUuid(seed, 'log', i.id, String(n)), title: text.split(':')[0]!, description: text, start: i.statusDate })) } }
      : {}),
    'related-observations': [{ 'observation-uuid': derivedUuid(seed, 'observation', i.id) }],
  }));
  const poamItems = doc.items.map((i) => ({
    uuid: derivedUuid(seed, 'item', i.id),
    title: i.name,
    description: i.description || i.name,
    props: [{ name: 'POAM-ID', ns: fedrampNs, value: i.id }, prop('item-status', i.status)],
    'related-observations': [{ 'observation-uuid': derivedUuid(seed, 'observation', i.id) }],
    'related-risks': [{ 'risk-uuid': derivedUuid(seed, 'risk', i.id) }],
    ...(i.deviation ? { remarks: deviationText(i) } : {}),
  }));
  return {
    'plan-of-action-and-milestones': {
      uuid: derivedUuid(seed, 'document'),
      metadata: {
        title: `${doc.organization}: Plan of Action and Milestones${doc.period ? `, ${doc.period.label}` : ''}`,
        'last-modified': doc.generatedAt,
        version: doc.packId,
        'oscal-version': oscalVersion,
        props: [prop('open', String(doc.counts.open)), prop('overdue', String(doc.counts.overdue)), prop('closed', String(doc.counts.closed))],
      },
      'system-id': { 'identifier-type': 'http://ietf.org/rfc/rfc4122', id: derivedUuid('system', doc.organization) },
      'local-definitions': {
        components: [
          { uuid: toolUuid, type: 'software', title: 'evidence-pack', description: 'Evidence collection and evaluation tool that detected the weaknesses', status: { state: 'operational' } },
        ],
        ...(subjects.size ? { 'inventory-items': [...subjects].map(([asset, uuid]) => ({ uuid, description: asset, props: [{ name: 'asset-id', value: asset }] })) } : {}),
      },
      ...(observations.length ? { observations, risks } : {}),
      'poam-items': poamItems,
    },
  };
}

/** poam.json, poam.csv, poam.xlsx and oscal-poam.json in dir; returns the names written. */
export async function writePoamFiles(doc: PoamDocument, dir: string): Promise<string[]> {
  await writePoamCsv(doc, join(dir, poamOutputs.csv));
  await writePoamXlsx(doc, join(dir, poamOutputs.xlsx));
  await writeJsonFile(join(dir, poamOutputs.oscal), renderOscalPoam(doc));
  return [poamOutputs.csv, poamOutputs.xlsx, poamOutputs.oscal];
}
