import { createHash } from 'crypto';

/**
 * A DB cluster identifier derived from a construct path: stable across releases (changing it replaces the
 * cluster), unique per path, and within AWS's rule of 1–63 letters, digits or hyphens starting with a
 * letter, with no `--` and no trailing hyphen (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-dbclusteridentifier).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-dbclusteridentifier
 *
 * `Stack/Orders` becomes `stack-orders-<8 hex digits of the path's SHA-256>`.
 */
export function deriveIdentifier(path: string, maxLength = 63): string {
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  let readable = path
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(readable)) readable = `db-${readable}`.replace(/-+$/, '');
  readable = readable.slice(0, maxLength - hash.length - 1).replace(/-+$/, '');
  return `${readable}-${hash}`;
}
