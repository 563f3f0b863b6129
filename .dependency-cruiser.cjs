// The dependency rule (`npm run lint:deps`): no import cycles, and no module imports a layer above its own.
// Layers, lowest first. A module may import its own layer and any layer below; when folders move, edit the
// patterns here (each is a regular expression over the path from the repository root).
const layers = [
  { name: 'core', path: '^src/(core|redact)/' },
  { name: 'catalog', path: '^src/(catalog|assurance)/' },
  { name: 'evidence', path: '^src/(collect|evidence)/' },
  { name: 'checks', path: '^src/checks/' },
  { name: 'evaluate', path: '^src/(evaluate|period|inventory|poam|sampling)/' },
  { name: 'render', path: '^src/render/' },
  { name: 'sign', path: '^src/sign/' },
  { name: 'pack', path: '^src/pack/' },
  { name: 'features', path: '^src/attach/' },
  { name: 'cli', path: '^src/(cli|bin|bench)/' },
];

const layerRules = layers.slice(0, -1).map((layer, i) => {
  const below = layers.slice(0, i).map((l) => l.name);
  const above = layers.slice(i + 1).map((l) => `(?:${l.path})`);
  return {
    name: `${layer.name}-imports-layer-above`,
    comment: `${layer.name} may import only itself and the layers below it: ${below.join(', ') || 'none'}`,
    severity: 'error',
    from: { path: layer.path },
    to: { path: above.join('|') },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and the layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'checks-import-the-reader-barrel',
      comment: 'A check reads parsed evidence: import the module that defines what it needs, not evidence/read.ts, which loads every reader.',
      severity: 'error',
      from: { path: '^src/checks/' },
      to: { path: '^src/evidence/read\\.ts$' },
    },
    {
      name: 'verifying-loads-renderers',
      comment: 'Opening and verifying a pack (verify, diff, attach) must not load the report renderers.',
      severity: 'error',
      from: { path: '^src/(pack/open-verified|sign/verify|sign/verify-archive)\\.ts$' },
      to: { path: '^src/render/', reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests may reach across layers to set a module up; the rule is about the product's own imports.
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
