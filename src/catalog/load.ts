import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { compileSchema, loadYamlFile } from '../data-file.ts';
import { InputError } from '../errors.ts';
import { catalogsDir } from '../paths.ts';
import { controlsOfPrintedId } from './pack-tables.ts';
import { baselineSchema, controlCatalogSchema, fipsViewSchema, frameworkSchema, packTableSchema, ruleMappingsSchema } from './schemas.ts';
import type { Baseline, Catalog, ControlCatalog, FipsView, Framework, FrameworkId, PackTable, RuleMappings } from './types.ts';

const files = {
  controls: 'controls/workspaces-appstream-data-protection.yaml',
  nist: 'frameworks/nist-sp-800-53-r5.yaml',
  gdpr: 'frameworks/gdpr.yaml',
  fedramp: 'frameworks/fedramp-r5-moderate.yaml',
  fips: 'frameworks/fips-view.yaml',
  rules: 'mappings/aws-managed-rules.yaml',
  nistPack: 'mappings/aws-pack-nist-800-53-r5.yaml',
  fedrampPack: 'mappings/aws-pack-fedramp-moderate.yaml',
} as const;

const validators = {
  controls: compileSchema<ControlCatalog>(controlCatalogSchema),
  framework: compileSchema<Framework>(frameworkSchema),
  baseline: compileSchema<Baseline>(baselineSchema),
  fips: compileSchema<FipsView>(fipsViewSchema),
  rules: compileSchema<RuleMappings>(ruleMappingsSchema),
  packTable: compileSchema<PackTable>(packTableSchema),
};

/**
 * Loads and cross-checks the catalogs. `knownChecks` is the built-in check registry's ids, so a
 * catalog cannot name a check that does not exist.
 */
export function loadCatalog(knownChecks: ReadonlySet<string>, dir: string = catalogsDir): Catalog {
  const digest = createHash('sha256');
  const load = <T>(rel: string, validate: Parameters<typeof loadYamlFile<T>>[1]): T => {
    const { data, bytes } = loadYamlFile(join(dir, rel), validate);
    digest.update(rel).update('\0').update(bytes);
    return data;
  };
  const controls = load(files.controls, validators.controls);
  const nist = load(files.nist, validators.framework);
  const gdpr = load(files.gdpr, validators.framework);
  const fedrampModerate = load(files.fedramp, validators.baseline);
  const fips = load(files.fips, validators.fips);
  const ruleMappings = load(files.rules, validators.rules);
  const packTables = { nist: load(files.nistPack, validators.packTable), fedramp: load(files.fedrampPack, validators.packTable) };
  const frameworks: Record<FrameworkId, Framework> = { 'nist-sp-800-53-r5': nist, gdpr };

  const ids = (fw: Framework) => new Map(fw.controls.map((c) => [c.id, c]));
  const known: Record<FrameworkId, ReturnType<typeof ids>> = { 'nist-sp-800-53-r5': ids(nist), gdpr: ids(gdpr) };
  const requireControl = (file: string, field: string, framework: FrameworkId, id: string) => {
    const c = known[framework].get(id);
    if (!c) throw new InputError(join(dir, file), field, `unknown ${framework} control "${id}"`);
    if (c.withdrawn) throw new InputError(join(dir, file), field, `${framework} control "${id}" is withdrawn`);
  };

  const seen = new Set<string>();
  controls.controls.forEach((c, i) => {
    const at = (f: string) => `controls[${i}] (${c.id}).${f}`;
    if (seen.has(c.id)) throw new InputError(join(dir, files.controls), at('id'), 'duplicate control id');
    seen.add(c.id);
    for (const g of c.guidance) {
      if (!controls.sources[g.source]) throw new InputError(join(dir, files.controls), at('guidance'), `unknown source "${g.source}"`);
    }
    for (const check of c.evidence?.checks ?? []) {
      if (!knownChecks.has(check)) throw new InputError(join(dir, files.controls), at('evidence.checks'), `unknown built-in check "${check}"`);
    }
    const ruleIds = new Set<string>();
    (c.evidence?.rules ?? []).forEach((r, j) => {
      if (ruleIds.has(r.rule)) throw new InputError(join(dir, files.controls), at(`evidence.rules[${j}].rule`), `duplicate rule ${r.rule}`);
      ruleIds.add(r.rule);
      if (r.source.type === 'aws-document' && !controls.sources[r.source.ref!]) {
        throw new InputError(join(dir, files.controls), at(`evidence.rules[${j}].source.ref`), `unknown source "${r.source.ref}"`);
      }
    });
    if (c.assessment === 'automated' && !c.evidence?.checks?.length && !c.evidence?.rules?.length) {
      throw new InputError(join(dir, files.controls), at('evidence'), 'an automated control needs at least one check or rule');
    }
    const edges = new Set<string>();
    c.mappings.forEach((m, j) => {
      if (m.source.type === 'aws-document' && !controls.sources[m.source.ref!]) {
        throw new InputError(join(dir, files.controls), at(`mappings[${j}].source.ref`), `unknown source "${m.source.ref}"`);
      }
      for (const id of m.controls) {
        requireControl(files.controls, at(`mappings[${j}].controls`), m.framework, id);
        const edge = `${m.framework}|${id}`;
        if (edges.has(edge)) throw new InputError(join(dir, files.controls), at(`mappings[${j}]`), `duplicate edge to ${id}`);
        edges.add(edge);
      }
    });
  });
  fedrampModerate.controls.forEach((id, i) => requireControl(files.fedramp, `controls[${i}]`, 'nist-sp-800-53-r5', id));
  fips.controls.forEach((c, i) => requireControl(files.fips, `controls[${i}].id`, 'nist-sp-800-53-r5', c.id));
  const rules = new Set<string>();
  ruleMappings.rules.forEach((r, i) => {
    if (rules.has(r.rule)) throw new InputError(join(dir, files.rules), `rules[${i}].rule`, `duplicate rule ${r.rule}`);
    rules.add(r.rule);
    r.controls.forEach((id) => requireControl(files.rules, `rules[${i}].controls`, 'nist-sp-800-53-r5', id));
  });

  for (const [file, table, framework] of [[files.nistPack, packTables.nist, 'nist-sp-800-53-r5'], [files.fedrampPack, packTables.fedramp, 'fedramp-r5-moderate']] as const) {
    if (table.framework !== framework) throw new InputError(join(dir, file), 'framework', `expected ${framework}`);
    const seenRules = new Set<string>();
    [...table.rules, ...table.withoutRow].forEach((r, i) => {
      const at = i < table.rules.length ? `rules[${i}]` : `withoutRow[${i - table.rules.length}]`;
      if (seenRules.has(r.rule)) throw new InputError(join(dir, file), `${at}.rule`, `duplicate rule ${r.rule}`);
      seenRules.add(r.rule);
    });
    table.rules.forEach((r, i) => r.controls.forEach((printed) => {
      // NIST's table prints Rev. 5 ids as they are; FedRAMP's prints Rev. 4 ids with statement parts.
      const ids = framework === 'nist-sp-800-53-r5' ? [printed] : controlsOfPrintedId(printed);
      if (!ids) throw new InputError(join(dir, file), `rules[${i}].controls`, `not a control id as AWS prints them: "${printed}"`);
      for (const id of ids) requireControl(file, `rules[${i}].controls`, 'nist-sp-800-53-r5', table.withdrawnInRev5?.[id] ?? id);
    }));
  }

  return { digest: digest.digest('hex'), controls, frameworks, fedrampModerate, fips, ruleMappings, packTables };
}
