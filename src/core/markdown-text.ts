/**
 * Text from evidence, tags or a settings file, made inert in Markdown (GitHub, Jira, a scheduler's log):
 * HTML is written as entities, inline Markdown punctuation is escaped, bare links are broken, an @
 * cannot mention anyone, and control characters and line breaks become spaces so that a value cannot
 * start a new block or table row. Meant for values inside a line, never at its start.
 */
export function markdownText(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`);
}
