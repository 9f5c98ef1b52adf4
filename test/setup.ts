/**
 * Runs in every test file before its tests. aws-cdk-lib's built-in `CloudFormation Validate` rules are off (they are
 * not what the tests test, and cost seconds per file); files that pin their findings call `useBuiltInValidation()`.
 */
import { disableBuiltInValidation } from '../tools/built-in-validation';

disableBuiltInValidation();
