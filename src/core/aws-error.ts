/** An AWS SDK error as one line: its name, the first line of its message, and the HTTP status when there is one. */
export function describeError(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : '';
  return `${err.name ?? 'Error'}: ${(err.message ?? String(e)).split('\n')[0]}${status}`;
}
