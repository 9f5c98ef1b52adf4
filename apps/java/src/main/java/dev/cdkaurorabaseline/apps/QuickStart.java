package dev.cdkaurorabaseline.apps;

import dev.cdkaurorabaseline.AuroraCluster;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;

/** The README's quick start in Java: must synthesize the templates of apps/typescript/quick-start.ts. */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(final String[] args) {
        App app = new App(AppProps.builder().analyticsReporting(false).build());
        Stack stack = new Stack(app, "QuickStart", StackProps.builder()
                .env(Environment.builder().region("us-east-1").build())
                .build());

        // What the quick start declares: a VPC, the application's role and security group.
        Vpc vpc = Vpcs.isolated(stack);
        Role appRole = Role.Builder.create(stack, "AppRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        SecurityGroup appSecurityGroup = SecurityGroup.Builder.create(stack, "AppSecurityGroup").vpc(vpc).build();

        // The quick start.
        AuroraCluster orders = AuroraCluster.Builder.create(stack, "Orders")
                .engine(DatabaseClusterEngine.auroraPostgres(AuroraPostgresClusterEngineProps.builder()
                        .version(AuroraPostgresEngineVersion.VER_16_4)
                        .build()))
                .vpc(vpc)
                .build();
        orders.getConnections().allowDefaultPortFrom(appSecurityGroup);
        orders.grantConnect(appRole, "app_user");

        app.synth();
    }
}
