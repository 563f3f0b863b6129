import { rm } from 'node:fs/promises';
import { BufferedFileWriter } from '../core/buffered-writer.ts';
import { runInThread } from '../core/threads.ts';
import { controlItemBatches } from '../evaluate/read-result.ts';
import { linesTotal, type ControlResult, type EvidenceItem, type Result } from '../evaluate/result.ts';
import { sourceText } from '../evaluate/item-source.ts';
import { csvField } from '../core/csv-field.ts';

export { csvField, neutraliseFormula } from '../core/csv-field.ts';

const columns = [
  'control',
  'control_status',
  'item_status',
  'account',
  'region',
  'resource_type',
  'resource_id',
  'resource_name',
  'resource_arn',
  'source',
  'finding',
  'evidence_time',
  'evidence_file',
  'evidence_pointer',
];

/** A column per framework of the pack (its id, with underscores): the ids of its controls each catalog control is evidence for. */
export function frameworkColumns(result: Result): { names: string[]; cells: Map<string, string[]> } {
  const frameworks = result.frameworks.filter((f) => f.kind === 'framework');
  const cells = new Map(
    result.controls.map((c) => [
      c.id,
      frameworks.map((f) =>
        f.rows
          .filter((r) => r.via.includes(c.id) || (r.inherits ?? []).some((i) => (c.mappings[i.framework] ?? []).some((m) => m.id === i.id)))
          .map((r) => r.id)
          .join(' '),
      ),
    ]),
  );
  return { names: frameworks.map((f) => f.id.replace(/[^A-Za-z0-9]+/g, '_')), cells };
}

const csvLine = (row: string[]) => `${row.map(csvField).join(',')}\r\n`;

function row(c: CsvControl, frameworks: string[], i: EvidenceItem): string[] {
  return [
    c.id,
    c.status,
    i.status,
    i.account,
    i.region,
    i.resource?.type ?? '',
    i.resource?.id ?? '',
    i.resource?.name ?? '',
    i.resource?.arn ?? '',
    sourceText(i),
    i.message,
    i.observedAt,
    i.origin?.file ?? '',
    i.origin?.pointer ?? '',
    ...frameworks,
  ];
}

/** The rows of these controls' items, in order, appended to `out`. */
async function writeRows(controls: CsvControl[], packDir: string, out: BufferedFileWriter): Promise<void> {
  for (const c of controls) {
    for await (const batch of controlItemBatches(packDir, c)) for (const i of batch) out.write(csvLine(row(c, c.frameworks, i)));
  }
}

/** What a thread needs of a control to write its rows (not the listed items result.json carries). */
export type CsvControl = Pick<ControlResult, 'id' | 'status' | 'items' | 'evidence'> & { frameworks: string[] };

/** In a thread (csv-thread.ts): the rows of some controls into a file of their own. */
export async function writeCsvPart(controls: CsvControl[], packDir: string, file: string): Promise<void> {
  const out = new BufferedFileWriter(file, { hashed: false });
  try {
    await writeRows(controls, packDir, out);
  } finally {
    out.close();
  }
}

/**
 * From this many items the rows are written by a thread of their own, while the main thread writes the populations and
 * samples (render runs both at once); below, a thread costs more than it saves. Tests set it: 0 for a thread, Infinity for none.
 */
const defaultThreadedFrom = 100_000;

/**
 * One row per evidence item, every control's (RFC 4180), written as each items file is read: never all in
 * memory. A large pack's rows are written by a second thread into a part appended after the header.
 */
export async function writeEvidenceCsv(result: Result, packDir: string, file: string, opts: { threadedFrom?: number } = {}): Promise<void> {
  const fw = frameworkColumns(result);
  const controls: CsvControl[] = result.controls.map((c) => ({ id: c.id, status: c.status, items: c.items, evidence: c.evidence, frameworks: fw.cells.get(c.id)! }));
  const total = controls.reduce((n, c) => n + (c.items ? linesTotal(c.items).count : c.evidence.length), 0);
  const split = total >= (opts.threadedFrom ?? defaultThreadedFrom) ? 0 : controls.length;
  const partFile = `${file}.part`;
  const rest: CsvControl[] = controls.slice(split).map((c) => ({ ...c, evidence: c.items ? [] : c.evidence }));
  const part = rest.length ? runInThread<void>(new URL('./csv-thread.ts', import.meta.url), { controls: rest, packDir, file: partFile }) : undefined;
  const out = new BufferedFileWriter(file, { hashed: false });
  try {
    out.write(csvLine([...columns, ...fw.names]));
    await writeRows(controls.slice(0, split), packDir, out);
    if (part) {
      await part.done;
      out.writeFileContents(partFile);
    }
  } finally {
    out.close();
    if (part) {
      await part.stop();
      await rm(partFile, { force: true });
    }
  }
}
