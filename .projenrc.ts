import { awscdk, javascript, ReleasableCommits } from 'projen';

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
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
      testTimeout: 60_000,
    },
  },

  gitignore: ['cdk.out', 'test/**/cdk-integ.out.*', '.jsii.tabl.json', '*.tabl.json', 'rosetta-cache'],
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

project.synth();
