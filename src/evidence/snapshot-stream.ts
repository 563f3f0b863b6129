// Reads an AWS Config snapshot file ({fileVersion, configSnapshotId, configurationItems: [...]}, .json
// or .json.gz) as a stream: the top level is walked by a small scanner and each configuration item is
// handed to JSON.parse on its own, so memory holds one item, never the file. A JSON token streamer
// (stream-json) was measured at 15× the time of JSON.parse on 100,000 items; this stays close to it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InputError } from '../core/errors.ts';
import { duplicateMember } from './json-file.ts';
import { expansionProblem } from './gzip-limits.ts';

/**
 * Far larger than any configuration item AWS records; a bigger one is refused before it is parsed.
 * (Below it, checkShape names the field whose string is over its own limit.)
 */
export const maxItemChars = 256 * 1024 * 1024;

export interface SnapshotStreamResult {
  /** The top-level members other than configurationItems (fileVersion, configSnapshotId). */
  header: Record<string, unknown>;
  items: number;
  /** A pages file that held one page, not a list of them. */
  onePage: boolean;
  /** Of the file as stored (compressed when .gz), as the manifest records files. */
  sha256: string;
  bytes: number;
}

const enum S {
  Top,
  KeyOrEnd,
  KeyAfterComma,
  Colon,
  ValueStart,
  AfterValue,
  ElementOrEnd,
  ElementAfterComma,
  AfterElement,
  Done,
  Capture,
}
const enum Kind {
  Key,
  Value,
  Element,
}

const special = /["{}[\]]/g;
const blank = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export interface SnapshotScanner {
  /** The next piece of the decoded text, in order, in pieces of any size. */
  feed(text: string): Promise<void>;
  /** After the last piece: the members besides the items, or an error saying how the document is incomplete. */
  finish(): { header: Record<string, unknown>; items: number; onePage: boolean };
}

/**
 * What a streamed document is: an AWS Config snapshot (its configurationItems are the elements), or the pages
 * of an API response as collect saves them (a list of pages, or one page; each page is an element).
 */
export type StreamedDocument = 'snapshot' | 'pages';

/** `parse: false`: each element is handed over as its text alone (value undefined), for JSON.parse elsewhere (a worker thread). */
export interface ScanOptions {
  parse?: boolean;
}

/** The scanner on its own, fed decoded text: what streamConfigSnapshot runs over a file. */
export function snapshotScanner(
  shownAs: string,
  onItem: (item: unknown, index: number, text: string) => void | Promise<void>,
  document: StreamedDocument = 'snapshot',
  opts: ScanOptions = {},
): SnapshotScanner {
  const broken = (problem: string) => new InputError(shownAs, undefined, problem);
  const elementName = (i: number) => (document === 'pages' ? `[${i}]` : `configurationItems[${i}]`);
  // A pages file of one page (not a list) is that page as its only element.
  let onePage = false;

  const header: Record<string, unknown> = {};
  let state = S.Top;
  let key = '';
  let index = 0;
  let sawItems = false;
  let first = true;
  // The value being captured: its kind, text so far, nesting depth and string state.
  let kind = Kind.Value;
  let parts: string[] = [];
  let partChars = 0;
  let nest = 0;
  let inString = false;
  let escaped = false;
  let primitive = false;

  const beginCapture = (c: number, k: Kind) => {
    kind = k;
    parts = [];
    partChars = 0;
    nest = 0;
    inString = false;
    escaped = false;
    primitive = c !== 0x22 && c !== 0x7b && c !== 0x5b;
    state = S.Capture;
  };
  const where = () => (kind === Kind.Element ? elementName(index) : kind === Kind.Value ? key : undefined);
  const endCapture = async (text: string) => {
    if (kind === Kind.Element && opts.parse === false) {
      await onItem(undefined, index++, text);
      state = onePage ? S.Done : S.AfterElement;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InputError(shownAs, where(), 'malformed JSON');
    }
    if (kind === Kind.Key) {
      key = value as string;
      if (Object.hasOwn(header, key) || (key === 'configurationItems' && sawItems)) throw new InputError(shownAs, key, duplicateMember);
      state = S.Colon;
    } else if (kind === Kind.Value) {
      header[key] = value;
      state = S.AfterValue;
    } else {
      await onItem(value, index++, text);
      state = onePage ? S.Done : S.AfterElement;
    }
  };

  /** Where a number, true, false or null ends (-1: not in this chunk). */
  const primitiveEnd = (text: string, from: number) => {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x2c || c === 0x7d || c === 0x5d || blank(c)) return i;
    }
    return -1;
  };
  /**
   * Where a string, object or array that started earlier ends (-1: not in this chunk). Jumps between
   * quotes and brackets with native searches; keeps string and escape state across chunks.
   */
  const valueEnd = (text: string, from: number) => {
    let i = from;
    const n = text.length;
    while (i < n) {
      if (inString) {
        let q = text.indexOf('"', i);
        while (q !== -1) {
          let slashes = 0;
          for (let b = q - 1; b >= i && text.charCodeAt(b) === 0x5c; b--) slashes++;
          // A run of backslashes that reaches back to where this search began continues one from the previous chunk.
          if (slashes === q - i && escaped) slashes++;
          if (slashes % 2 === 0) break;
          q = text.indexOf('"', q + 1);
        }
        if (q === -1) {
          let slashes = 0;
          for (let b = n - 1; b >= i && text.charCodeAt(b) === 0x5c; b--) slashes++;
          escaped = (slashes === n - i ? slashes + (escaped ? 1 : 0) : slashes) % 2 === 1;
          return -1;
        }
        escaped = false;
        inString = false;
        i = q + 1;
        if (nest === 0) return i;
        continue;
      }
      special.lastIndex = i;
      const m = special.exec(text);
      if (!m) return -1;
      i = m.index + 1;
      const c = text.charCodeAt(m.index);
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) nest++;
      else if (--nest === 0) return i;
    }
    return -1;
  };

  /** Skips a byte order mark at the very start of the document; returns where the text begins. */
  const textStart = (text: string) => {
    if (!first || !text.length) return 0;
    first = false;
    return text.charCodeAt(0) === 0xfeff ? 1 : 0;
  };
  /** Takes the captured value's text up to its end or the chunk's; returns where it ends (-1: it goes on in the next chunk). */
  const capturePiece = (text: string, from: number) => {
    const end = primitive ? primitiveEnd(text, from) : valueEnd(text, from);
    const piece = text.slice(from, end === -1 ? text.length : end);
    partChars += piece.length;
    if (partChars > maxItemChars) throw new InputError(shownAs, where() ?? '(member name)', `larger than ${maxItemChars / 1024 / 1024} MiB`);
    parts.push(piece);
    return end;
  };
  /** The document's first character: a snapshot's object, or a pages file's list (or single page). Returns how many characters it took. */
  const documentStart = (c: number) => {
    if (document === 'pages') {
      sawItems = true;
      if (c === 0x5b) {
        state = S.ElementOrEnd;
        return 1;
      }
      if (c === 0x7b) {
        onePage = true;
        beginCapture(c, Kind.Element);
        return 0;
      }
      throw broken('not an API response (the file starts with neither a list nor an object)');
    }
    if (c !== 0x7b) throw broken('not an AWS Config snapshot (the file does not start with an object)');
    state = S.KeyOrEnd;
    return 1;
  };
  /** A top-level member's name, or the object's end where no member is due. */
  const memberNameOrEnd = (c: number) => {
    if (c === 0x7d && state === S.KeyOrEnd) {
      state = S.Done;
      return 1;
    }
    if (c !== 0x22) throw broken('malformed JSON: a member name was expected');
    beginCapture(c, Kind.Key);
    return 0;
  };
  /** The colon between a member's name and its value. */
  const colon = (c: number) => {
    if (c !== 0x3a) throw broken(`malformed JSON after member name "${key}"`);
    state = S.ValueStart;
    return 1;
  };
  /** A member's value: configurationItems' list is entered, any other value captured whole. */
  const memberValue = (c: number) => {
    if (key === 'configurationItems' && c === 0x5b) {
      sawItems = true;
      state = S.ElementOrEnd;
      return 1;
    }
    beginCapture(c, Kind.Value);
    return 0;
  };
  /** The comma before the next member, or the document's end. */
  const afterMemberValue = (c: number) => {
    if (c === 0x2c) state = S.KeyAfterComma;
    else if (c === 0x7d) state = S.Done;
    else throw broken(`malformed JSON after "${key}"`);
    return 1;
  };
  /** An element (item or page) captured whole, or the list's end where no element is due. */
  const elementOrEnd = (c: number) => {
    if (c === 0x5d && state === S.ElementOrEnd) {
      state = document === 'pages' ? S.Done : S.AfterValue;
      return 1;
    }
    beginCapture(c, Kind.Element);
    return 0;
  };
  /** The comma before the next element, or the list's end. */
  const afterElement = (c: number) => {
    if (c === 0x2c) state = S.ElementAfterComma;
    else if (c === 0x5d) state = document === 'pages' ? S.Done : S.AfterValue;
    else throw broken(`malformed JSON after ${elementName(index - 1)}`);
    return 1;
  };
  /** The structural character c, read as the state expects; returns how many characters it took (0: a value to capture starts there). */
  const structural = (c: number): number => {
    switch (state) {
      case S.Top:
        return documentStart(c);
      case S.KeyOrEnd:
      case S.KeyAfterComma:
        return memberNameOrEnd(c);
      case S.Colon:
        return colon(c);
      case S.ValueStart:
        return memberValue(c);
      case S.AfterValue:
        return afterMemberValue(c);
      case S.ElementOrEnd:
      case S.ElementAfterComma:
        return elementOrEnd(c);
      case S.AfterElement:
        return afterElement(c);
      default:
        throw broken('malformed JSON: text after the end of the document');
    }
  };

  const scan = async (text: string) => {
    let i = textStart(text);
    const n = text.length;
    while (i < n) {
      if (state === S.Capture) {
        const end = capturePiece(text, i);
        if (end === -1) return;
        i = end;
        await endCapture(parts.length === 1 ? parts[0]! : parts.join(''));
        continue;
      }
      const c = text.charCodeAt(i);
      if (blank(c)) {
        i++;
        continue;
      }
      i += structural(c);
    }
  };

  return {
    feed: scan,
    finish() {
      if ((state as S) !== S.Done) throw broken(first ? 'empty file' : 'truncated JSON: the document ends early');
      if (!sawItems) throw new InputError(shownAs, 'configurationItems', 'missing or not a list');
      return { header, items: index, onePage };
    },
  };
}

/**
 * Calls onItem for every element of configurationItems (of the list of pages), in order, and returns the other members.
 * Errors name the file and the item (configurationItems[i], or [i]) or say where the structure broke.
 */
export async function streamConfigSnapshot(
  path: string,
  shownAs: string,
  onItem: (item: unknown, index: number, text: string) => void | Promise<void>,
  document: StreamedDocument = 'snapshot',
  opts: ScanOptions = {},
): Promise<SnapshotStreamResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on('data', (c) => {
    hash.update(c as Buffer);
    bytes += (c as Buffer).length;
  });
  const source = path.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: 1 << 18 })) : raw;
  raw.on('error', (e) => source.destroy(e));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const broken = (problem: string) => new InputError(shownAs, undefined, problem);
  const scanner = snapshotScanner(shownAs, onItem, document, opts);
  let expanded = 0;
  try {
    for await (const chunk of source) {
      expanded += (chunk as Buffer).length;
      const bomb = source !== raw ? expansionProblem(expanded, bytes) : undefined;
      if (bomb) throw broken(bomb);
      await scanner.feed(decoder.decode(chunk as Buffer, { stream: true }));
    }
    await scanner.feed(decoder.decode());
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') throw broken(`cannot read (${code})`);
    if (e instanceof TypeError) throw broken('not valid UTF-8');
    throw broken(path.endsWith('.gz') ? 'not a valid gzip file' : `cannot read (${(e as Error).message})`);
  } finally {
    raw.destroy();
    if (source !== raw) source.destroy();
  }
  return { ...scanner.finish(), sha256: hash.digest('hex'), bytes };
}
