/** The reports `render` writes besides the PDF (the CLI reads this without loading the renderers). */
export const reportFormats = ['html', 'csv', 'oscal', 'ksi', 'inventory'] as const;
export type ReportFormat = (typeof reportFormats)[number];
