// Compressed evidence is untrusted: a few megabytes of gzip can stand for gigabytes. Every .gz read
// (whole or streamed) is bounded, and a file over the bound is refused naming the cause.
import { gunzipSync } from 'node:zlib';
import { InputError } from '../core/errors.ts';

const MiB = 1024 * 1024;
/** Any compressed file may expand this far, whatever its ratio. */
export const freeExpansionBytes = 64 * MiB;
/** Beyond freeExpansionBytes, at most this many bytes out per byte in (AWS JSON compresses about 10 to 30 times). */
export const maxExpansionRatio = 100;
/** A file read whole (parsed as one JSON text) is at most this large, compressed or not: the text must fit in one string. */
export const maxWholeFileBytes = 512 * MiB;

const mib = (n: number) => `${Math.round(n / MiB)} MiB`;

/** The problem with `expanded` bytes out of `compressed` bytes in, or undefined while within the bounds. */
export function expansionProblem(expanded: number, compressed: number): string | undefined {
  if (expanded <= freeExpansionBytes || expanded <= maxExpansionRatio * compressed) return undefined;
  return `expands to more than ${mib(expanded)} from ${compressed} compressed bytes (over ${maxExpansionRatio} times, beyond the first ${mib(freeExpansionBytes)}): refused as a decompression bomb`;
}

/** Gunzips a file read whole, stopping at the bounds: never more than maxWholeFileBytes in memory. */
export function gunzipBounded(raw: Buffer, shownAs: string): Buffer {
  const limit = Math.min(maxWholeFileBytes, Math.max(freeExpansionBytes, maxExpansionRatio * raw.length));
  try {
    return gunzipSync(raw, { maxOutputLength: limit });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw new InputError(shownAs, undefined, 'not a valid gzip file');
    if (limit === maxWholeFileBytes) throw new InputError(shownAs, undefined, `expands to more than ${mib(maxWholeFileBytes)}, the most a file read whole may hold: refused`);
    throw new InputError(shownAs, undefined, expansionProblem(limit + 1, raw.length)!);
  }
}
