// The pack's evidence/ folder: each evidence file re-serialised with sensitive values masked, written
// as the reader parses it (one pass), configuration snapshots item by item.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EvidenceCopies } from './evidence-copies.ts';
import { BufferedFileWriter } from '../core/buffered-writer.ts';
import { copiesVerbatim, redactJson } from '../redact/detect.ts';
import { configSnapshotFile } from './read-snapshot-file.ts';

/**
 * Where an evidence file's redacted copy sits in the pack. Configuration snapshots, the bulk of the evidence, stay
 * gzip-compressed (`zcat evidence/config-snapshots/F.json.gz | jq '.configurationItems[0]'`); other files are plain JSON.
 */
export const evidenceCopyPath = (evidencePath: string) => `evidence/${evidencePath.replace(/\.gz$/, '')}${configSnapshotFile.test(evidencePath) ? '.gz' : ''}`;

export { copiesVerbatim };

/** A page of an API response, masked, as JSON.stringify lays it out. */
export const pageCopy = (value: unknown) => JSON.stringify(redactJson(value), null, 2);
/** The p-th page's copy as the list of pages lays it out: after "[" or ",", indented a level. */
export const listedPageCopy = (copy: string, p: number) => `${p === 0 ? '[' : ','}\n  ${copy.replace(/\n/g, '\n  ')}`;
const endOfPageList = (pages: number) => (pages === 0 ? '[]\n' : '\n]\n');

export class RedactedCopies implements EvidenceCopies {
  /** sha256 and size of each copy, by evidence path: result.json records both. */
  readonly written = new Map<string, { sha256: string; bytes: number }>();

  constructor(private readonly outDir: string) {}

  private async target(rel: string): Promise<string> {
    const file = join(this.outDir, evidenceCopyPath(rel));
    await mkdir(dirname(file), { recursive: true });
    return file;
  }

  async json(rel: string, value: unknown): Promise<void> {
    const bytes = Buffer.from(`${JSON.stringify(redactJson(value), null, 2)}\n`);
    await writeFile(await this.target(rel), bytes);
    this.written.set(rel, { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
  }

  /**
   * Page by page, laid out as JSON.stringify(pages, null, 2) lays out the whole list. Each page is written
   * when the next arrives, so that the end knows whether the file held a list or one page.
   */
  pages(rel: string) {
    let written = 0;
    let held: string | undefined;
    const opened = this.target(rel).then((file) => new BufferedFileWriter(file));
    return {
      page: async (value: unknown) => {
        const out = await opened;
        if (held !== undefined) out.write(listedPageCopy(held, written++));
        held = pageCopy(value);
      },
      end: async (onePage: boolean) => {
        const out = await opened;
        if (onePage) out.write(`${held!}\n`);
        else {
          if (held !== undefined) out.write(listedPageCopy(held, written++));
          out.write(endOfPageList(written));
        }
        this.written.set(rel, out.close());
      },
    };
  }

  /** A list of pages whose copies were written elsewhere (listedPageCopy, a run of pages a file), taken in in order. */
  pageFiles(rel: string) {
    let pages = 0;
    const opened = this.target(rel).then((file) => new BufferedFileWriter(file));
    return {
      append: async (file: string, count: number) => {
        (await opened).writeFileContents(file);
        pages += count;
      },
      end: async () => {
        const out = await opened;
        out.write(endOfPageList(pages));
        this.written.set(rel, out.close());
      },
    };
  }

  /** Items first, one to a line (a large snapshot's copy stays quick to write and to read line by line), then the other members. */
  snapshot(rel: string) {
    let items = 0;
    const opened = this.target(rel).then((file) => new BufferedFileWriter(file, { gzip: file.endsWith('.gz') }));
    return {
      /** `text`: the item's JSON as read, written as it is when nothing in it needs masking. */
      /** `clean`: copiesVerbatim(text), when the caller has it already. */
      item: async (value: unknown, text?: string, clean = text !== undefined && copiesVerbatim(text)) => {
        const line = text !== undefined && clean ? text : JSON.stringify(redactJson(value));
        (await opened).write(`${items++ === 0 ? '{\n  "configurationItems": [\n' : ',\n'}    ${line}`);
      },
      end: async (header: Record<string, unknown>) => {
        const out = await opened;
        out.write(items === 0 ? '{\n  "configurationItems": []' : '\n  ]');
        for (const [k, v] of Object.entries(header)) out.write(`,\n  ${JSON.stringify(k)}: ${JSON.stringify(redactJson(v), null, 2).replace(/\n/g, '\n  ')}`);
        out.write('\n}\n');
        this.written.set(rel, out.close());
      },
    };
  }
}
