import { awscdk, javascript, JsonFile, ReleasableCommits } from 'projen';

/** Spec files `test:unit` leaves out: the compliance-pack suites, the reference app, integ snapshots, benchmark twin. */
const UNIT_EXCLUDED = '/test/([^/]*compliance[^/]*|[^/]*nag|reference-app|integ-snapshots|hand-written)\\.test\\.ts$';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-aurora-baseline',
  description:
    'A secure, compliant Amazon Aurora for AWS CDK: KMS encryption, IAM auth, TLS, RDS Proxy, reader autoscaling, custom endpoints and Global Database, clean under cdk-nag and Control Tower guard rules.',
  author: 'cdk-aurora-baseline maintainers',
  authorAddress: 'maintainers@cdk-aurora-baseline.dev',
  repositoryUrl: 'https://github.com/cdk-aurora-baseline/cdk-aurora-baseline.git',
  keywords: ['aws-cdk', 'cdk', 'aurora', 'rds', 'rds-proxy', 'cdk-nag', 'compliance', 'global-database'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  prettier: true,
  prettierOptions: { settings: { singleQuote: true, printWidth: 120 } },
  stability: 'experimental',
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  github: false,

  // Peer floor: 2.262.0 is the first aws-cdk-lib that hands validation plugins the construct tree, which
  // cdk-nag 3 needs in a real synth (with 2.257-2.261 every nag pack errors out and checks nothing).
  // It cannot be 2.276.0 (the first whose built-in rules know AWS::RDS::DBClusterEndpoint): on 2026-11-29 npm served
  // aws-cdk-lib up to 2.276.0, PyPI up to 2.275.0 and Maven Central (software.amazon.awscdk:aws-cdk-lib) up to
  // 2.263.0, and the floor must install from every registry the jsii targets publish to. The built-in false
  // positives of 2.262-2.275 are acknowledged on the library's own resources instead (src/private/built-in-rules.ts),
  // and CI runs the test suite on the newest aws-cdk-lib too (.ci/run).
  cdkVersion: '2.262.0',
  cdkVersionPinning: false,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  minNodeVersion: '20.0.0',
  workflowNodeVersion: 'lts/*',

  devDeps: [
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    '@aws-cdk/integ-tests-alpha',
    '@aws-cdk/integ-runner',
    'fast-check@^4',
    // The diff engine of the CDK CLI: the lifecycle suite classifies before -> after changes with it.
    '@aws-cdk/cloudformation-diff@^2.187.0',
    // The CDK CLI that reads the cloud assembly of every aws-cdk-lib the library accepts (2.1148.1 reads the schema
    // of aws-cdk-lib 2.276; older CLIs refuse it, and 3.0.0 on npm is deprecated). The test task synthesizes the
    // reference app with it once (the `synth:cli` task).
    'aws-cdk@2.1148.1',
  ],

  publishToPypi: { distName: 'cdk-aurora-baseline', module: 'cdk_aurora_baseline' },
  publishToMaven: {
    javaPackage: 'dev.cdkaurorabaseline',
    mavenGroupId: 'dev.cdk-aurora-baseline',
    mavenArtifactId: 'cdk-aurora-baseline',
  },
  publishToNuget: { dotNetNamespace: 'CdkAuroraBaseline', packageId: 'CdkAuroraBaseline' },
  publishToGo: { moduleName: 'github.com/cdk-aurora-baseline/cdk-aurora-baseline-go' },

  jestOptions: {
    // A snapshot mismatch must fail the test run; update snapshots deliberately with `npx projen test:update`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
      // Specs live in test/ only (apps/ and tools/ are code the specs exercise).
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
      testTimeout: 60_000,
      // One worker per core: most test files wait on cfn-guard processes part of the time, so all cores pay off
      // (measured on 2 cores: 87 s with jest's default of cores - 1, 70 s with both).
      maxWorkers: '100%',
    },
  },

  gitignore: ['cdk.out', 'apps/**/cdk-integ.out.*', '.jsii.tabl.json', '*.tabl.json', 'rosetta-cache'],
  sampleCode: false,
});

// The README shows how an app registers the compliance packs: compile that example against them too.
project.package.addField('jsiiRosetta', {
  exampleDependencies: { 'cdk-nag': '^3.0.2', '@cdklabs/cdk-validator-cfnguard': '^0.0.62' },
});

// README examples must compile: jsii-rosetta in strict mode after every compile.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every TypeScript example in the README and API docs (strict)',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosetta);

// The Lambda handlers as committed JavaScript (assets/), the path the library deploys from both src/ and lib/:
// regenerated before every compile; test/handlers.test.ts fails when one is stale.
const handlers = project.addTask('handlers', {
  description: 'Regenerate the JavaScript of the Lambda handlers (assets/) from their TypeScript sources',
  exec: 'ts-node --project projenrc/tsconfig.json --transpile-only projenrc/handlers.ts',
});
project.preCompileTask.spawn(handlers);

// --- Layout: test/ holds specs only. apps/ holds CDK apps (the reference architecture in apps/reference/, the integ
// tests in apps/integ/), tools/ the generators the build runs (COMPLIANCE.md), the diagram and the benchmark. None of
// it is in the npm package. Each folder gets a type-check-only tsconfig like test/'s, for ts-node, eslint and editors.
const LAYOUT_DIRS = ['apps', 'tools'];
for (const dir of LAYOUT_DIRS) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromTypescriptConfigs([project.tsconfigDev]),
    include: ['**/*.ts'],
    exclude: ['node_modules', '**/*.snapshot', '**/cdk.out', '**/cdk-integ.out.*'],
  });
  project.eslint?.addLintPattern(dir);
  project.npmignore?.exclude(`/${dir}/`);
}
// jest transpiles without type checking (isolatedModules): type-check the apps and tools in the test run.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check apps/ and tools/ (tsc --noEmit)',
  steps: LAYOUT_DIRS.map((dir) => ({ exec: `tsc --noEmit -p ${dir}/tsconfig.json` })),
});
project.testTask.spawn(typecheck);
project.eslint?.allowDevDeps('apps/**');
project.eslint?.allowDevDeps('tools/**');

// The tools run with ts-node (transpile only: the type check is jest's and tsc's job).
const tsNode = (file: string) => `ts-node --project tools/tsconfig.json --transpile-only ${file}`;

// The reference app's entry point for the CDK CLI, named here only: cdk.json and the `synth:cli` task use it.
const REFERENCE_CLI_APP = 'apps/reference/main.ts';
new JsonFile(project, 'cdk.json', {
  obj: {
    app: `npx ts-node --project apps/tsconfig.json --transpile-only ${REFERENCE_CLI_APP}`,
    output: 'cdk.out',
    // As `cdk init` sets it: errors of aws-cdk-lib's built-in template rules fail the synth.
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
  },
});
// The repository's CDK CLI (the aws-cdk dev dependency) synthesizes the reference app once per test run: the CLI
// must read the cloud assembly the installed aws-cdk-lib writes (on the floor and on the newest release).
const synthCli = project.addTask('synth:cli', {
  description: `Synthesize the reference app (${REFERENCE_CLI_APP}) with the repository's CDK CLI, as \`npx cdk synth\` does`,
  exec: 'cdk synth --quiet --output cdk.out/cli',
});
project.testTask.spawn(synthCli);

project.addTask('synth:reference', {
  description:
    'Synthesize the reference architecture (apps/reference) to cdk.out with every compliance pack, and print stacks, Regions, resources by type and the result per pack',
  exec: tsNode('tools/synth-reference.ts'),
  receiveArgs: true,
});

// COMPLIANCE.md: regenerated by the build; test/compliance-report.test.ts fails when the committed file is stale.
const complianceReport = project.addTask('compliance:report', {
  description: 'Regenerate COMPLIANCE.md from the reference architecture (every rule of every pack, per resource type)',
  exec: tsNode('tools/compliance-report.ts'),
});
project.postCompileTask.spawn(complianceReport);

// Integ tests (apps/integ/integ.*.ts): snapshots in integ-runner's layout, compared by test/integ-snapshots.test.ts.
// integ-runner itself joins the test run as soon as it can read the cloud assemblies aws-cdk-lib writes (the
// condition prints why it is skipped); without --update-on-failed or --force it only synthesizes and compares.
project.addTask('integ:update', {
  description:
    'Rewrite the integ test snapshots (apps/integ/integ.*.ts.snapshot), as integ-runner would synthesize them',
  exec: tsNode('tools/integ-snapshots.ts --update'),
  receiveArgs: true,
});
const integ = project.addTask('integ', {
  description: 'Check the integ test snapshots with integ-runner (synthesizes and compares; never deploys)',
  env: { TS_NODE_TRANSPILE_ONLY: '1' },
  steps: [
    {
      exec: 'integ-runner --language typescript --directory apps/integ',
      condition: tsNode('tools/integ-snapshots.ts --integ-runner-supported'),
    },
  ],
});
project.testTask.spawn(integ);

// The fast inner loop: the unit specs, without the suites that synthesize under every compliance pack
// (*compliance*, *nag*), the reference architecture, the integ snapshots and the benchmark twin.
// CI runs the specs a second time on the newest aws-cdk-lib (.ci/run installs it without saving). Template snapshots
// pin the floor's output (aws-cdk-lib's own defaults move between releases), so they are left out there.
const testNewest = project.addTask('test:newest', {
  description:
    'Run the specs except the template snapshots, and the CDK CLI synth, against whatever aws-cdk-lib is installed (CI: the newest)',
  // Left out: the template snapshots (jest's and the integ tests'), the committed COMPLIANCE.md, and three tests that
  // pin how aws-cdk-lib 2.262 matches acknowledgements (2.276 scopes prefixed ids to the construct path and records
  // granular ids with an `Annotation::` prefix).
  steps: [
    {
      exec: `jest --passWithNoTests --testNamePattern '^(?!.*(snapshot|committed report is up to date|acknowledgement id formats|name ARNs as cdk-nag renders them))'`,
      receiveArgs: true,
    },
  ],
});
testNewest.spawn(synthCli);

project.addTask('test:unit', {
  description:
    'Run the unit specs only (no compliance-pack suites, reference architecture, integ snapshots or benchmark twin)',
  steps: [
    {
      exec: `jest --passWithNoTests --testPathIgnorePatterns '${UNIT_EXCLUDED}'`,
      receiveArgs: true,
    },
  ],
});

project.addTask('bench', {
  description:
    'Time the synthesis of the reference architecture against its hand-written aws-cdk-lib twin, without and with every compliance pack (median of --runs, default 5)',
  exec: tsNode('tools/bench/bench.ts'),
  receiveArgs: true,
});

// Needs Graphviz (`apt-get install graphviz`); not part of the build.
project.addTask('diagram', {
  description:
    'Regenerate docs/reference-architecture.dot and .png (Graphviz) from the synthesized reference architecture',
  exec: tsNode('tools/diagram.ts'),
  receiveArgs: true,
});

// --- Every jsii language: the Python and Java packages built, the same apps synthesized from TypeScript, Python and
// Java with the same templates, the Python examples run (tools/languages.sh; CI runs it after the build).
project.addTask('languages', {
  description:
    'Build the Python and Java packages, synthesize apps/typescript, apps/python and apps/java and compare their templates, run the Python examples',
  exec: 'bash tools/languages.sh',
});
project.gitignore.exclude('/.languages/', '/apps/java/target/');

// cfn-lint and checkov, the scanners reviewers run on CloudFormation, on every template the examples synthesize
// (tools/scan-templates.ts). They come from a Python virtual environment that .ci/run creates with the newest releases
// from PyPI (`python3 -m venv .venv-scan && .venv-scan/bin/pip install cfn-lint checkov`). The committed
// tools/scan-results.json (templates, findings, acknowledgements) feeds COMPLIANCE.md.
project.addTask('scan', {
  description:
    'Run cfn-lint and checkov (from .venv-scan) on every synthesized template; fails on any finding not acknowledged on its resource',
  exec: tsNode('tools/scan-templates.ts --json tools/scan-results.json'),
  receiveArgs: true,
});
project.gitignore.exclude('/.venv-scan/');
project.npmignore?.exclude('/.venv-scan/');
// `npx projen build` outside CI packages every language: a package whose toolchain is missing is skipped with a
// message (CI packages JavaScript in the build and Python and Java in the `languages` task).
const toolchains: Record<string, [string, string]> = {
  'package:java': ['mvn', 'Maven'],
  'package:python': ['python3', 'Python 3'],
  'package:dotnet': ['dotnet', 'the .NET SDK'],
  'package:go': ['go', 'Go'],
};
for (const [taskName, [command, toolchain]] of Object.entries(toolchains)) {
  const onPath =
    "process.env.PATH.split(require('path').delimiter).some((d) => require('fs').existsSync(require('path').join(d, process.argv[1])))";
  project.tasks
    .tryFind(taskName)
    ?.addCondition(
      `node -e "if (!(${onPath})) { console.error('Skipping ${taskName}: ${toolchain} (${command}) is not installed'); process.exit(1); }" ${command}`,
    );
}

// The architecture picture is for the repository, not the npm package.
project.npmignore?.exclude('/docs/');
// What synth:reference writes is not part of the package either.
project.npmignore?.exclude('/cdk.out/');
// CI's script and the CDK CLI's app file belong to the repository, not to the npm package or the jsii packages
// built from it (the Python wheel, the Maven and NuGet packages are built from the npm tarball).
project.npmignore?.exclude('/.ci/', '/cdk.json');

project.synth();
