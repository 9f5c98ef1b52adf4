"""The README's Global Database example in Python: must synthesize the templates of apps/typescript/global-database.ts.

Run by `npx projen languages` against the wheel jsii-pacmak builds (dist/python) and aws-cdk-lib from PyPI.
"""
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_rds as rds
from cdk_aurora_baseline import AuroraCluster, AuroraGlobalDatabase

app = cdk.App(analytics_reporting=False)


def regional_stack(id: str, region: str):
    """A stack in `region` with a VPC of isolated subnets."""
    stack = cdk.Stack(app, id, env=cdk.Environment(region=region))
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[ec2.SubnetConfiguration(name="Isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
    )
    return stack, vpc


primary_stack, primary_vpc = regional_stack("GlobalPrimary", "us-east-1")
eu_stack, eu_vpc = regional_stack("GlobalEu", "eu-west-1")
ap_stack, ap_vpc = regional_stack("GlobalAp", "ap-southeast-2")

orders = AuroraCluster(
    primary_stack,
    "Orders",
    engine=rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_4),
    vpc=primary_vpc,
    serverless_v2_min_capacity=8,
    global_database_primary=True,
)
global_database = AuroraGlobalDatabase(primary_stack, "Global", primary=orders)

# The cheapest warm standby: replicated storage, no instance ("headless").
global_database.add_secondary(eu_stack, "Eu", vpc=eu_vpc, readers=[])

# Local reads, with writes forwarded to the primary.
global_database.add_secondary(
    ap_stack,
    "Ap",
    vpc=ap_vpc,
    readers=[rds.ClusterInstance.serverless_v2("Reader1"), rds.ClusterInstance.serverless_v2("Reader2")],
    enable_write_forwarding=True,
)

app.synth()
