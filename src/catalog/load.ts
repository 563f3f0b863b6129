import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileSchema, readDataFile, validateDataFile, type DataFile } from '../core/data-file.ts';
import type { ValidateFunction } from 'ajv';
import { InputError, UserError } from '../core/errors.ts';
import { catalogsDir } from '../core/paths.ts';
import { controlsOfPrintedId } from './pack-tables.ts';
import { baselineSchema, controlCatalogSchema, frameworkSchema, packTableSchema, ruleMappingsSchema, viewSchema } from './schemas.ts';
import type { Baseline, Catalog, ControlCatalog, DataFileRef, Framework, FrameworkControl, FrameworkView, PackTable, RuleMappings } from './types.ts';

const validators = {
  controls: compileSchema<ControlCatalog>(controlCatalogSchema),
  framework: compileSchema<Framework>(frameworkSchema),
  baseline: compileSchema<Baseline>(baselineSchema),
  view: compileSchema<FrameworkView>(viewSchema),
  rules: compileSchema<RuleMappings>(ruleMappingsSchema),
  packTable: compileSchema<PackTable>(packTableSchema),
};

const yamlFiles = (dir: string) =>
  existsSync(dir) && statSync(dir).isDirectory()
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];

/** Whether a data file's data has this top-level key: it tells a framework from a baseline or a view, and a pack table from rule mappings. */
const hasTopKey = (read: DataFile, key: string): boolean => typeof read.data === 'object' && read.data !== null && key in read.data;

type Loaded<T> = { data: T } & DataFileRef;

/**
 * Loads and cross-checks the catalogs: the built-in ones in `dir`, then each of `userDirs` (--catalog) on
 * top. `knownChecks` is the built-in check registry's ids, so a catalog cannot name a check that does not
 * exist. Frameworks, baselines and views are whatever catalogs/frameworks/*.yaml declare; nothing here
 * names one.
 */
export function loadCatalog(knownChecks: ReadonlySet<string>, dir: string = catalogsDir, userDirs: readonly string[] = []): Catalog {
  const digest = createHash('sha256');
  const load = <T>(read: DataFile, label: string, validate: ValidateFunction<T>): Loaded<T> => {
    const { data, bytes, lineOf } = validateDataFile(read, validate);
    digest.update(label).update('\0').update(bytes);
    return { data, file: read.file, lineOf };
  };
  const controlFiles: Loaded<ControlCatalog>[] = [];
  const frameworkFiles: Loaded<Framework>[] = [];
  const baselineFiles: Loaded<Baseline>[] = [];
  const viewFiles: Loaded<FrameworkView>[] = [];
  const mappingFiles: Loaded<RuleMappings>[] = [];
  const packTableFiles: Loaded<PackTable>[] = [];
  // A framework data file is a framework, a baseline or a view, by its first key.
  const loadFrameworkFile = (file: string, label: string) => {
    const read = readDataFile(file);
    if (hasTopKey(read, 'baseline')) baselineFiles.push(load(read, label, validators.baseline));
    else if (hasTopKey(read, 'view')) viewFiles.push(load(read, label, validators.view));
    else frameworkFiles.push(load(read, label, validators.framework));
  };
  const loadDir = (base: string, prefix: string, user: boolean) => {
    for (const f of yamlFiles(join(base, 'controls'))) controlFiles.push(load(readDataFile(join(base, 'controls', f)), `${prefix}controls/${f}`, validators.controls));
    for (const f of yamlFiles(join(base, 'frameworks'))) loadFrameworkFile(join(base, 'frameworks', f), `${prefix}frameworks/${f}`);
    // A user's directory may hold framework files at its top level too (one file, one framework).
    if (user) for (const f of yamlFiles(base)) loadFrameworkFile(join(base, f), `${prefix}${f}`);
    for (const f of yamlFiles(join(base, 'mappings'))) {
      // An AWS conformance pack's published table names the pack's `template`; other mapping files are rule mappings.
      const read = readDataFile(join(base, 'mappings', f));
      if (hasTopKey(read, 'template')) packTableFiles.push(load(read, `${prefix}mappings/${f}`, validators.packTable));
      else mappingFiles.push(load(read, `${prefix}mappings/${f}`, validators.rules));
    }
  };
  loadDir(dir, '', false);
  if (controlFiles.length !== 1) throw new InputError(join(dir, 'controls'), undefined, `expected one built-in control catalog, found ${controlFiles.length}`);
  userDirs.forEach((u, i) => {
    if (!existsSync(u) || !statSync(u).isDirectory()) throw new UserError(`--catalog ${u}: not a directory`);
    const before = controlFiles.length + frameworkFiles.length + baselineFiles.length + viewFiles.length + mappingFiles.length + packTableFiles.length;
    loadDir(u, `--catalog[${i}]/`, true);
    if (controlFiles.length + frameworkFiles.length + baselineFiles.length + viewFiles.length + mappingFiles.length + packTableFiles.length === before) {
      throw new UserError(`--catalog ${u}: no catalog files (*.yaml, frameworks/*.yaml, mappings/*.yaml or controls/*.yaml)`);
    }
  });

  const fail = (ref: DataFileRef, path: (string | number)[], field: string, problem: string): never => {
    const line = ref.lineOf(path);
    throw new InputError(line ? `${ref.file}:${line}` : ref.file, field, problem);
  };

  // Every id names one framework, baseline or view: they share the report's sections.
  const declared = new Map<string, DataFileRef>();
  const declare = (ref: DataFileRef, id: string, key: string) => {
    const other = declared.get(id);
    if (other) fail(ref, [key], key, `"${id}" is already declared by ${other.file}`);
    declared.set(id, ref);
  };
  for (const f of frameworkFiles) declare(f, f.data.framework, 'framework');
  for (const f of baselineFiles) declare(f, f.data.baseline, 'baseline');
  for (const f of viewFiles) declare(f, f.data.view, 'view');

  const known = new Map<string, Map<string, FrameworkControl>>();
  for (const f of frameworkFiles) {
    const ids = new Map<string, FrameworkControl>();
    f.data.controls.forEach((c, i) => {
      if (ids.has(c.id)) fail(f, ['controls', i, 'id'], `controls[${i}].id`, `duplicate control id "${c.id}"`);
      if (c.family && f.data.families && !f.data.families.some((x) => x.id === c.family)) fail(f, ['controls', i, 'family'], `controls[${i}].family`, `unknown family "${c.family}"`);
      ids.set(c.id, c);
    });
    known.set(f.data.framework, ids);
  }
  const requireControl = (ref: DataFileRef, path: (string | number)[], field: string, framework: string, id: string) => {
    const ids = known.get(framework);
    if (!ids) return fail(ref, path, field, `unknown framework "${framework}" (frameworks: ${[...known.keys()].join(', ')})`);
    const c = ids.get(id);
    if (!c) fail(ref, path, field, `unknown ${framework} control "${id}"`);
    if (c!.withdrawn) fail(ref, path, field, `${framework} control "${id}" is withdrawn`);
  };

  const [builtIn, ...userControls] = controlFiles;
  const controls: ControlCatalog = { ...builtIn!.data, sources: { ...builtIn!.data.sources }, controls: [] };
  const controlRef = new Map<string, { ref: DataFileRef; index: number }>();
  for (const u of [builtIn!, ...userControls]) {
    for (const [k, v] of Object.entries(u === builtIn ? {} : u.data.sources)) {
      if (controls.sources[k]) fail(u, ['sources', k], `sources.${k}`, `source "${k}" is already defined`);
      controls.sources[k] = v;
    }
    u.data.controls.forEach((c, i) => {
      if (controlRef.has(c.id)) fail(u, ['controls', i, 'id'], `controls[${i}].id`, `duplicate control id "${c.id}"`);
      controlRef.set(c.id, { ref: u, index: i });
      controls.controls.push(c);
    });
  }

  const knownRules = new Set<string>();
  for (const c of controls.controls) {
    const { ref, index: i } = controlRef.get(c.id)!;
    const at = (f: string) => `controls[${i}] (${c.id}).${f}`;
    const where = (...p: (string | number)[]) => ['controls', i, ...p];
    for (const [j, g] of c.guidance.entries()) {
      if (!controls.sources[g.source]) fail(ref, where('guidance', j, 'source'), at('guidance'), `unknown source "${g.source}"`);
    }
    for (const [j, check] of (c.evidence?.checks ?? []).entries()) {
      if (!knownChecks.has(check)) fail(ref, where('evidence', 'checks', j), at('evidence.checks'), `unknown built-in check "${check}"`);
    }
    const ruleIds = new Set<string>();
    (c.evidence?.rules ?? []).forEach((r, j) => {
      if (ruleIds.has(r.rule)) fail(ref, where('evidence', 'rules', j, 'rule'), at(`evidence.rules[${j}].rule`), `duplicate rule ${r.rule}`);
      ruleIds.add(r.rule);
      knownRules.add(r.rule);
      if (r.source.type === 'aws-document' && !controls.sources[r.source.ref!]) {
        fail(ref, where('evidence', 'rules', j, 'source', 'ref'), at(`evidence.rules[${j}].source.ref`), `unknown source "${r.source.ref}"`);
      }
    });
    if (c.assessment === 'automated' && !c.evidence?.checks?.length && !c.evidence?.rules?.length) {
      fail(ref, where('evidence'), at('evidence'), 'an automated control needs at least one check or rule');
    }
    const edges = new Set<string>();
    c.mappings.forEach((m, j) => {
      if (m.source.type === 'aws-document' && !controls.sources[m.source.ref!]) {
        fail(ref, where('mappings', j, 'source', 'ref'), at(`mappings[${j}].source.ref`), `unknown source "${m.source.ref}"`);
      }
      m.controls.forEach((id, k) => {
        requireControl(ref, where('mappings', j, 'controls', k), at(`mappings[${j}].controls`), m.framework, id);
        const edge = `${m.framework}|${id}`;
        if (edges.has(edge)) fail(ref, where('mappings', j), at(`mappings[${j}]`), `duplicate edge to ${id}`);
        edges.add(edge);
      });
    });
  }
  for (const b of baselineFiles) b.data.controls.forEach((id, i) => requireControl(b, ['controls', i], `controls[${i}]`, b.data.framework, id));
  for (const v of viewFiles) v.data.controls.forEach((c, i) => requireControl(v, ['controls', i, 'id'], `controls[${i}].id`, v.data.framework, c.id));
  for (const m of mappingFiles) {
    const rules = new Set<string>();
    m.data.rules.forEach((r, i) => {
      if (rules.has(r.rule)) fail(m, ['rules', i, 'rule'], `rules[${i}].rule`, `duplicate rule ${r.rule}`);
      rules.add(r.rule);
      knownRules.add(r.rule);
      r.controls.forEach((id, j) => requireControl(m, ['rules', i, 'controls', j], `rules[${i}].controls`, m.data.framework, id));
    });
  }
  // A framework's own edges: rules the catalogs know, checks a catalog control runs, controls of other frameworks.
  const checksRun = new Set(controls.controls.flatMap((c) => c.evidence?.checks ?? []));
  for (const f of frameworkFiles) {
    f.data.controls.forEach((c, i) => {
      const at = (field: string) => `controls[${i}] (${c.id}).${field}`;
      (c.rules ?? []).forEach((rule, j) => {
        if (!knownRules.has(rule)) fail(f, ['controls', i, 'rules', j], at(`rules[${j}]`), `unknown managed rule "${rule}" (no catalog control or rule mapping names it; add it to a mappings file)`);
      });
      (c.checks ?? []).forEach((check, j) => {
        if (!knownChecks.has(check)) fail(f, ['controls', i, 'checks', j], at(`checks[${j}]`), `unknown built-in check "${check}"`);
        if (!checksRun.has(check)) fail(f, ['controls', i, 'checks', j], at(`checks[${j}]`), `check "${check}" is evidence of no catalog control, so it does not run`);
      });
      for (const [framework, ids] of Object.entries(c.inherits ?? {})) {
        if (framework === f.data.framework) fail(f, ['controls', i, 'inherits', framework], at(`inherits.${framework}`), 'a control cannot inherit from its own framework');
        ids.forEach((id, j) => requireControl(f, ['controls', i, 'inherits', framework, j], at(`inherits.${framework}[${j}]`), framework, id));
      }
    });
  }

  for (const t of packTableFiles) {
    if (t.data.baseline) {
      const b = baselineFiles.find((x) => x.data.baseline === t.data.baseline);
      if (!b) fail(t, ['baseline'], 'baseline', `unknown baseline "${t.data.baseline}"`);
      if (b!.data.framework !== t.data.framework) fail(t, ['baseline'], 'baseline', `baseline "${t.data.baseline}" is of ${b!.data.framework}, not ${t.data.framework}`);
      const other = packTableFiles.find((x) => x !== t && x.data.baseline === t.data.baseline);
      if (other) fail(t, ['baseline'], 'baseline', `baseline "${t.data.baseline}" already takes its rule edges from ${other.file}`);
    }
    const seenRules = new Set<string>();
    [...t.data.rules, ...t.data.withoutRow].forEach((r, i) => {
      const path = i < t.data.rules.length ? ['rules', i] : ['withoutRow', i - t.data.rules.length];
      if (seenRules.has(r.rule)) fail(t, [...path, 'rule'], `${path[0]}[${path[1]}].rule`, `duplicate rule ${r.rule}`);
      seenRules.add(r.rule);
    });
    // Printed ids may carry statement parts ("AC-2(f)") and ids withdrawn since (withdrawnInRev5).
    t.data.rules.forEach((r, i) =>
      r.controls.forEach((printed, j) => {
        const ids = controlsOfPrintedId(printed);
        if (!ids) fail(t, ['rules', i, 'controls', j], `rules[${i}].controls`, `not a control id as AWS prints them: "${printed}"`);
        for (const id of ids!) requireControl(t, ['rules', i, 'controls', j], `rules[${i}].controls`, t.data.framework, t.data.withdrawnInRev5?.[id] ?? id);
      }),
    );
  }

  // A built-in check no built-in control names would never run: a developer's omission, one line.
  const onControls = new Set(builtIn!.data.controls.flatMap((c) => c.evidence?.checks ?? []));
  for (const check of knownChecks) {
    if (!onControls.has(check)) throw new Error(`src/checks/*/${check}/: built-in check "${check}" is on no control: name it in a control's evidence.checks in ${builtIn!.file}`);
  }

  const order = (x: { order?: number }) => x.order ?? 100;
  const byOrder = <T extends { order?: number }>(list: T[], id: (t: T) => string) => list.sort((a, b) => order(a) - order(b) || id(a).localeCompare(id(b)));
  return {
    digest: digest.digest('hex'),
    controls,
    frameworks: byOrder(
      frameworkFiles.map((f) => f.data),
      (f) => f.framework,
    ),
    baselines: byOrder(
      baselineFiles.map((f) => f.data),
      (b) => b.baseline,
    ),
    views: byOrder(
      viewFiles.map((f) => f.data),
      (v) => v.view,
    ),
    ruleMappings: mappingFiles.map((m) => m.data),
    // A framework's own tables first, then those that stand in for a baseline's edges.
    packTables: [...packTableFiles.filter((t) => !t.data.baseline), ...packTableFiles.filter((t) => t.data.baseline)].map((t) => t.data),
  };
}
