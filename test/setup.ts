/**
 * Runs in every test file before its tests. aws-cdk-lib's built-in `CloudFormation Validate` rules are not what most
 * tests test and cost seconds per file: they are switched off with aws-cdk-lib's supported switch, the environment
 * variable `CDK_VALIDATION=false` (aws-cdk-lib 2.276+; older releases have no switch and simply run them). Files
 * that assert on those rules call `useBuiltInRules()` (test/compliance.ts) first.
 */
process.env.CDK_VALIDATION = 'false';
