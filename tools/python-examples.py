"""Runs the Python translations of the README and API examples against the built wheel.

`npx projen languages` calls it with the interpreter of a venv holding the wheel (dist/python), aws-cdk-lib at the
library's peer floor, cdk-nag and cdk-validator-cfnguard from PyPI:

    python tools/python-examples.py .jsii.tabl.json

The tablet is what `jsii-rosetta extract` writes (the build runs it): every TypeScript example with its Python
translation, the same text jsii-pacmak puts in the wheel's README. A Python example declares what it takes as
comments (`# vpc: ec2.IVpc`, from the TypeScript `declare const vpc: ec2.IVpc;`); this script defines those names
(a VPC of isolated subnets, a role, a stack in a Region, ...), runs the example in a stack as the TypeScript fixture
(rosetta/default.ts-fixture) does, and synthesizes its app. Examples that need no fixture (they start with imports)
run as they are. Exits 1 if any example fails, naming it and the error.
"""
import json
import re
import sys
import tempfile
import textwrap
import traceback

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3

import cdk_aurora_baseline

# What the TypeScript fixture imports, by the names the Python translations use.
FIXTURE_IMPORTS = """
import aws_cdk as cdk
from aws_cdk import Acknowledgment, App, CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, Validations
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_backup as backup
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from constructs import Construct
from cdk_aurora_baseline import *
"""

PRIMARY_REGION = "us-east-1"
OTHER_REGIONS = ["eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1"]
DECLARATION = re.compile(r"^# (\w+): ([\w.]+)(?:\s*#.*?region: '([a-z0-9-]+)')?", re.M)


def isolated_vpc(scope, id):
    return ec2.Vpc(
        scope,
        id,
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[ec2.SubnetConfiguration(name="Isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
    )


def postgres():
    return rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_4)


class Declarations:
    """Values for the names an example declares, in the fixture stack `stack` of `app`."""

    def __init__(self, app, stack):
        self.app = app
        self.stack = stack
        self.stacks = {}
        self.regions = list(OTHER_REGIONS)

    def value(self, name, type_name, region, values):
        if type_name == "App":
            return self.app
        if type_name == "Stack":
            if region is None:
                region = PRIMARY_REGION if name.startswith("primary") else self.regions.pop(0)
            elif region in self.regions:
                self.regions.remove(region)
            stack = cdk.Stack(self.app, f"Declared-{name}".replace("_", "-"), env=cdk.Environment(region=region))
            self.stacks[name] = stack
            return stack
        if type_name in ("ec2.IVpc", "ec2.Vpc"):
            # `eu_vpc` goes into `eu_stack`; otherwise into the one declared stack, or the fixture stack.
            prefix = name[: -len("vpc")]
            scope = self.stacks.get(f"{prefix}stack")
            if scope is None:
                scope = next(iter(self.stacks.values())) if len(self.stacks) == 1 else self.stack
            return isolated_vpc(scope, f"Declared-{name}")
        if type_name in ("iam.IRole", "iam.Role", "iam.IGrantable", "iam.IPrincipal"):
            return iam.Role(self.stack, f"Declared-{name}", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        if type_name in ("ec2.ISecurityGroup", "ec2.SecurityGroup", "ec2.IConnectable"):
            return ec2.SecurityGroup(self.stack, f"Declared-{name}", vpc=self._vpc(values))
        if type_name in ("lambda.Function", "lambda.IFunction"):
            return lambda_.Function(
                self.stack,
                f"Declared-{name}",
                runtime=lambda_.Runtime.NODEJS_22_X,
                handler="index.handler",
                code=lambda_.Code.from_inline("exports.handler = async () => {};"),
                vpc=self._vpc(values),
            )
        if type_name in ("kms.IKey", "kms.Key"):
            return kms.Key(self.stack, f"Declared-{name}", enable_key_rotation=True)
        if type_name in ("s3.IBucket", "s3.Bucket"):
            return s3.Bucket(self.stack, f"Declared-{name}", encryption=s3.BucketEncryption.S3_MANAGED, enforce_ssl=True)
        if type_name in ("backup.BackupPlan", "backup.IBackupPlan"):
            return backup.BackupPlan.daily35_day_retention(self.stack, f"Declared-{name}")
        if type_name in ("ec2.IGatewayVpcEndpoint", "ec2.GatewayVpcEndpoint"):
            return self._vpc(values).add_gateway_endpoint(
                f"Declared-{name}", service=ec2.GatewayVpcEndpointAwsService.S3
            )
        if type_name in ("ec2.IInterfaceVpcEndpoint", "ec2.InterfaceVpcEndpoint"):
            return self._vpc(values).add_interface_endpoint(
                f"Declared-{name}", service=ec2.InterfaceVpcEndpointAwsService.LAMBDA_, private_dns_enabled=False
            )
        if type_name == "str" and name.endswith("_arn"):
            # An ARN of something in another Region and account (e.g. a disaster-recovery vault).
            kind = name[: -len("_arn")].replace("_", "-")
            return f"arn:aws:backup:us-west-2:210987654321:backup-vault:{kind}"
        if type_name in ("AuroraCluster", "IAuroraCluster"):
            return cdk_aurora_baseline.AuroraCluster(
                self.stack, f"Declared-{name}", engine=postgres(), vpc=self._vpc(values)
            )
        if type_name == "AuroraGlobalDatabase":
            primary_stack = cdk.Stack(self.app, f"Declared-{name}-Primary".replace("_", "-"), env=cdk.Environment(region=PRIMARY_REGION))
            primary = cdk_aurora_baseline.AuroraCluster(
                primary_stack,
                "Primary",
                engine=postgres(),
                vpc=isolated_vpc(primary_stack, "Vpc"),
                serverless_v2_min_capacity=8,
                global_database_primary=True,
            )
            return cdk_aurora_baseline.AuroraGlobalDatabase(primary_stack, f"Declared-{name}", primary=primary)
        raise TypeError(
            f"no value for '# {name}: {type_name}': teach tools/python-examples.py's Declarations.value this type"
        )

    def _vpc(self, values):
        for value in values.values():
            if isinstance(value, ec2.Vpc) and cdk.Stack.of(value) is self.stack:
                return value
        return isolated_vpc(self.stack, "FixtureVpc")


def run(python_source):
    """Runs one example; returns the synthesized App(s)."""
    namespace = {}
    standalone = re.match(r"\s*(from|import) ", python_source) and not DECLARATION.search(python_source)
    if standalone:
        exec(compile(python_source, "<example>", "exec"), namespace)
        apps = [v for v in namespace.values() if isinstance(v, cdk.App)]
        if not apps:
            raise AssertionError("a standalone example that creates no App")
        for app in apps:
            app.synth()
        return

    app = cdk.App(outdir=tempfile.mkdtemp(prefix="python-example-"), analytics_reporting=False)
    stack = cdk.Stack(app, "Fixture", env=cdk.Environment(region=PRIMARY_REGION))
    declarations = Declarations(app, stack)
    values = {}
    for name, type_name, region in DECLARATION.findall(python_source):
        values[name] = declarations.value(name, type_name, region or None, values)

    # The example runs as the body of a method of the fixture stack (`self`), like the TypeScript fixture's constructor.
    body = textwrap.indent(python_source, "    ")
    program = f"{FIXTURE_IMPORTS}\ndef example(self, {', '.join(['_'] + list(values))}):\n{body}\n    pass\n"
    exec(compile(program, "<example>", "exec"), namespace)
    namespace["example"](stack, None, *values.values())
    app.synth()


def describe(snippet):
    location = snippet["location"]
    api = location["api"]
    if api["api"] == "moduleReadme":
        return f"README.md line {location['field'].get('line')}"
    return f"{api.get('fqn')} {location['field'].get('field')}"


def main():
    tablet_file = sys.argv[1] if len(sys.argv) > 1 else ".jsii.tabl.json"
    with open(tablet_file, encoding="utf-8") as f:
        snippets = list(json.load(f)["snippets"].values())
    failures = []
    for snippet in snippets:
        where = describe(snippet)
        source = snippet["translations"]["python"]["source"]
        try:
            run(source)
            print(f"ok    {where}")
        except Exception:  # noqa: BLE001 - every failure is reported, then the run fails
            failures.append(where)
            print(f"FAIL  {where}\n{textwrap.indent(source, '      | ')}\n{textwrap.indent(traceback.format_exc(), '      ')}")
    print(f"{len(snippets) - len(failures)} of {len(snippets)} Python examples ran and synthesized")
    if failures:
        print("Failed: " + "; ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
