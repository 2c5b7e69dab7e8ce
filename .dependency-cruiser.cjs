// Layering, checked by `npm run lint` (dependency-cruiser). The rules apply to the source folders;
// tests may import anything. Type-only imports (`import type`, or `import { type A }` with nothing
// else) do not count: TypeScript erases them, so they neither load a module nor form a runtime
// cycle. This is the view of shared/tools/layers.mjs, which the refactor is measured against.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-import-cycle',
      comment:
        'Modules that import each other at run time load half-initialised and cannot be understood apart. ' +
        'Break the cycle: a job catalog that adds work apart from the handler that does it, or a port handed in.',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'integrations-and-machines-are-leaves',
      comment:
        'integrations/ and machines/ sit below the service: they import nothing from bot/, jobs/ or admin-cli/. ' +
        'Move the shared helper down (or out into its own folder), or hand it in through an interface.',
      severity: 'error',
      from: { path: '^(integrations|machines)/' },
      to: { path: '^(bot|jobs|admin-cli)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'machines-import-only-xstate',
      comment: 'machines/ are pure XState definitions: they import xstate and each other; effects are supplied with .provide().',
      severity: 'error',
      from: { path: '^machines/' },
      // bot/, jobs/ and admin-cli/ are left to the rule above, so an upward import is reported once.
      to: { pathNot: ['^machines/', '^node_modules/xstate/', '^(bot|jobs|admin-cli)/'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    includeOnly: { path: ['^(bot|machines|jobs|integrations|admin-cli)/', '^node_modules/'] },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.]test[.]ts$' },
    // Reads the TypeScript before compilation, so type-only imports are seen (and marked) as such.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
