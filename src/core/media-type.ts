// The media type the manifest and the OSCAL results give each file of a pack, by its extension.
const mediaTypes: Record<string, string> = {
  json: 'application/json',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  pem: 'application/x-pem-file',
  gz: 'application/gzip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function mediaTypeOf(path: string): string {
  return mediaTypes[path.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream';
}
