// The names of the files the evaluate and render stages write into a pack.
import { ksiFile } from '../evaluate/ksi.ts';
import { inventoryFiles } from '../inventory/files.ts';

export const outputs = {
  result: 'result.json',
  html: 'report.html',
  pdf: 'report.pdf',
  csv: 'evidence.csv',
  oscal: 'oscal-assessment-results.json',
  ksi: ksiFile,
  inventory: inventoryFiles.csv,
  inventoryXlsx: inventoryFiles.xlsx,
} as const;
