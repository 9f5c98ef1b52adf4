package dev.cdkaurorabaseline.apps;

import java.util.List;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/** The VPC the apps declare: isolated subnets in two Availability Zones. */
final class Vpcs {
    private Vpcs() {
    }

    static Vpc isolated(final Construct scope) {
        return Vpc.Builder.create(scope, "Vpc")
                .maxAzs(2)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("Isolated")
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .build()))
                .build();
    }
}
