/** Where the reader hands each evidence file once parsed, so that copies need no second read. */
export interface EvidenceCopies {
  json(rel: string, value: unknown): Promise<void>;
  /** A configuration snapshot, item by item, then the file's other members. */
  snapshot(rel: string): { item(value: unknown, text?: string, clean?: boolean): Promise<void>; end(header: Record<string, unknown>): Promise<void> };
  /** An API response saved as pages, page by page (`onePage`: the file held one page, not a list). */
  pages(rel: string): { page(value: unknown): Promise<void>; end(onePage: boolean): Promise<void> };
}
