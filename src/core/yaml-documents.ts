import { LineCounter, parseDocument, type Document } from 'yaml';

/**
 * Parsed YAML documents, reused while a file's bytes are the same: a process that loads the catalog more
 * than once (the tests run the CLI in their own process, hundreds of times) parses its ~260 kB once.
 * Keyed by path and compared byte for byte, so an edited file is parsed again; a few dozen entries at most.
 */
const parsed = new Map<string, { text: string; doc: Document.Parsed; lineCounter: LineCounter }>();
const maxEntries = 64;

export function parseYamlText(file: string, text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const hit = parsed.get(file);
  if (hit && hit.text === text) return hit;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length === 0) {
    parsed.delete(file);
    if (parsed.size >= maxEntries) parsed.delete(parsed.keys().next().value!);
    parsed.set(file, { text, doc, lineCounter });
  }
  return { doc, lineCounter };
}
