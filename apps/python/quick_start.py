"""The README's quick start in Python: must synthesize the templates of apps/typescript/quick-start.ts.

Run by `npx projen languages` against the wheel jsii-pacmak builds (dist/python) and aws-cdk-lib from PyPI.
"""
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_rds as rds
from cdk_aurora_baseline import AuroraCluster

app = cdk.App(analytics_reporting=False)
stack = cdk.Stack(app, "QuickStart", env=cdk.Environment(region="us-east-1"))

# What the quick start declares: a VPC, the application's role and security group.
vpc = ec2.Vpc(
    stack,
    "Vpc",
    max_azs=2,
    nat_gateways=0,
    subnet_configuration=[ec2.SubnetConfiguration(name="Isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
)
app_role = iam.Role(stack, "AppRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
app_security_group = ec2.SecurityGroup(stack, "AppSecurityGroup", vpc=vpc)

# The quick start.
orders = AuroraCluster(
    stack,
    "Orders",
    engine=rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_4),
    vpc=vpc,
)
orders.connections.allow_default_port_from(app_security_group)
orders.grant_connect(app_role, "app_user")

app.synth()
