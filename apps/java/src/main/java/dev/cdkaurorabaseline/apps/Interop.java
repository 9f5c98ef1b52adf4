package dev.cdkaurorabaseline.apps;

import dev.cdkaurorabaseline.AuroraCluster;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.backup.BackupPlan;
import software.amazon.awscdk.services.backup.BackupResource;
import software.amazon.awscdk.services.backup.BackupSelectionOptions;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.amazon.awscdk.services.rds.DatabaseProxy;
import software.amazon.awscdk.services.rds.IDatabaseCluster;
import software.amazon.awscdk.services.rds.ProxyTarget;

/**
 * The Java smoke test of interoperability: an AuroraCluster goes, as it is, to aws-cdk-lib APIs that take an
 * rds.IDatabaseCluster (AWS Backup, RDS Proxy) or an ec2.IConnectable. Compiling this file is half the test; the
 * other half checks the synthesized template and exits non-zero when a resource is missing or miswired.
 */
public final class Interop {
    private Interop() {
    }

    public static void main(final String[] args) {
        App app = new App(AppProps.builder().analyticsReporting(false).build());
        Stack stack = new Stack(app, "Interop", StackProps.builder()
                .env(Environment.builder().account("123456789012").region("us-east-1").build())
                .build());
        Vpc vpc = Vpcs.isolated(stack);

        AuroraCluster orders = AuroraCluster.Builder.create(stack, "Orders")
                .engine(DatabaseClusterEngine.auroraPostgres(AuroraPostgresClusterEngineProps.builder()
                        .version(AuroraPostgresEngineVersion.VER_16_6)
                        .build()))
                .vpc(vpc)
                .build();

        // rds.IDatabaseCluster: AWS Backup and aws-cdk-lib's RDS Proxy take the construct itself.
        IDatabaseCluster asCluster = orders;
        BackupPlan.daily35DayRetention(stack, "Plan").addSelection("Selection", BackupSelectionOptions.builder()
                .resources(List.of(BackupResource.fromRdsDatabaseCluster(asCluster)))
                .build());
        DatabaseProxy.Builder.create(stack, "L2Proxy")
                .proxyTarget(ProxyTarget.fromCluster(asCluster))
                .secrets(List.of(orders.getSecret()))
                .vpc(vpc)
                .iamAuth(true)
                .build();

        // ec2.IConnectable: a peer opens the cluster's port.
        IConnectable asConnectable = orders;
        SecurityGroup appSecurityGroup = SecurityGroup.Builder.create(stack, "App").vpc(vpc).allowAllOutbound(false)
                .build();
        appSecurityGroup.getConnections().allowToDefaultPort(asConnectable, "app to database");

        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) app.synth().getStackByName("Interop").getTemplate();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) template.get("Resources");

        require(resources, "AWS::Backup::BackupSelection", 1);
        require(resources, "AWS::RDS::DBProxy", 1);
        Map<String, Object> targetGroup = require(resources, "AWS::RDS::DBProxyTargetGroup", 1);
        String clusterId = resources.entrySet().stream()
                .filter(e -> "AWS::RDS::DBCluster".equals(e.getValue().get("Type")))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no AWS::RDS::DBCluster"));
        Object dependsOn = targetGroup.get("DependsOn");
        if (!(dependsOn instanceof List) || !((List<?>) dependsOn).contains(clusterId)) {
            throw new IllegalStateException("the proxy target group does not wait for " + clusterId + ": " + dependsOn);
        }
        boolean ingress = resources.values().stream()
                .filter(r -> "AWS::EC2::SecurityGroupIngress".equals(r.get("Type")))
                .anyMatch(r -> String.valueOf(r.get("Properties")).contains("app to database"));
        if (!ingress) {
            throw new IllegalStateException("allowToDefaultPort(orders) added no ingress rule to the cluster");
        }
        System.out.println("[languages] java Interop: AuroraCluster accepted as rds.IDatabaseCluster and ec2.IConnectable");
    }

    private static Map<String, Object> require(final Map<String, Map<String, Object>> resources, final String type,
            final int count) {
        List<Map<String, Object>> found = resources.values().stream().filter(r -> type.equals(r.get("Type"))).toList();
        if (found.size() != count) {
            throw new IllegalStateException("expected " + count + " " + type + ", found " + found.size());
        }
        return found.get(0);
    }
}
