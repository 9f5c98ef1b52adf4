package dev.cdkaurorabaseline.apps;

import dev.cdkaurorabaseline.AuroraCluster;
import dev.cdkaurorabaseline.AuroraGlobalDatabase;
import dev.cdkaurorabaseline.AuroraSecondaryClusterOptions;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;

/** The README's Global Database example in Java: must synthesize the templates of apps/typescript/global-database.ts. */
public final class GlobalDatabase {
    private GlobalDatabase() {
    }

    private static Stack regionalStack(final App app, final String id, final String region) {
        return new Stack(app, id, StackProps.builder().env(Environment.builder().region(region).build()).build());
    }

    public static void main(final String[] args) {
        App app = new App(AppProps.builder().analyticsReporting(false).build());
        Stack primaryStack = regionalStack(app, "GlobalPrimary", "us-east-1");
        Vpc primaryVpc = Vpcs.isolated(primaryStack);
        Stack euStack = regionalStack(app, "GlobalEu", "eu-west-1");
        Vpc euVpc = Vpcs.isolated(euStack);
        Stack apStack = regionalStack(app, "GlobalAp", "ap-southeast-2");
        Vpc apVpc = Vpcs.isolated(apStack);

        AuroraCluster orders = AuroraCluster.Builder.create(primaryStack, "Orders")
                .engine(DatabaseClusterEngine.auroraPostgres(AuroraPostgresClusterEngineProps.builder()
                        .version(AuroraPostgresEngineVersion.VER_16_4)
                        .build()))
                .vpc(primaryVpc)
                .serverlessV2MinCapacity(8)
                .globalDatabasePrimary(true)
                .build();
        AuroraGlobalDatabase global = AuroraGlobalDatabase.Builder.create(primaryStack, "Global")
                .primary(orders)
                .build();

        // The cheapest warm standby: replicated storage, no instance ("headless").
        global.addSecondary(euStack, "Eu", AuroraSecondaryClusterOptions.builder()
                .vpc(euVpc)
                .readers(List.of())
                .build());

        // Local reads, with writes forwarded to the primary.
        global.addSecondary(apStack, "Ap", AuroraSecondaryClusterOptions.builder()
                .vpc(apVpc)
                .readers(List.of(ClusterInstance.serverlessV2("Reader1"), ClusterInstance.serverlessV2("Reader2")))
                .enableWriteForwarding(true)
                .build());

        app.synth();
    }
}
