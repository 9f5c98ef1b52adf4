import { App, CfnParameter, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraClusterProps, CustomEndpointType } from '../src';
import { derivedName, MYSQL_3_08, POSTGRES_16_4, R6G_LARGE, testStack, testVpc } from './util';
import { analyticsRules } from '../src/private/validate-readers';

const provisioned = (id: string, options: Partial<rds.ProvisionedClusterInstanceProps> = {}) =>
  rds.ClusterInstance.provisioned(id, { instanceType: R6G_LARGE, ...options });

function cluster(props: Partial<AuroraClusterProps> = {}, stack: Stack = testStack()) {
  return new AuroraCluster(stack, 'Db', {
    engine: MYSQL_3_08,
    vpc: testVpc(stack),
    writer: provisioned('Writer'),
    readers: [provisioned('R1'), provisioned('R2')],
    ...props,
  });
}

function ref(stack: Stack, path: string): { Ref: string } {
  const c = stack.node.findAll().find((x) => x.node.path === `${stack.node.path}/${path}`);
  if (!c) throw new Error(`no ${path}`);
  return { Ref: stack.resolve((c as unknown as { logicalId: string }).logicalId) };
}

describe('AuroraCluster custom endpoints', () => {
  describe('addCustomEndpoint', () => {
    const stack = testStack();
    const db = cluster({}, stack);
    const reporting = db.addCustomEndpoint('Reporting', { staticMembers: ['R1'] });
    const everything = db.addCustomEndpoint('Everything', {
      type: CustomEndpointType.ANY,
      excludedMembers: ['R2'],
      endpointIdentifier: 'Orders-Everything',
    });
    const template = Template.fromStack(stack);

    test('creates a native AWS::RDS::DBClusterEndpoint, READER by default, with the named static members', () => {
      template.hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        DBClusterIdentifier: ref(stack, 'Db/Cluster/Resource'),
        CustomEndpointType: 'READER',
        StaticMembers: [ref(stack, 'Db/Cluster/R1/Resource')],
        ExcludedMembers: Match.absent(),
      });
    });

    test("derives an identifier from the stack name, its logical id and the stack's UUID", () => {
      expect(stack.resolve(reporting.endpointIdentifier)).toEqual(
        derivedName('teststack-dbcustomendpointsreportingdcaa229d'),
      );
      template.hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        DBClusterEndpointIdentifier: derivedName('teststack-dbcustomendpointsreportingdcaa229d'),
      });
    });

    test('an ANY endpoint with an exclusion list, and a given identifier stored lowercase', () => {
      template.hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        CustomEndpointType: 'ANY',
        DBClusterEndpointIdentifier: 'orders-everything',
        ExcludedMembers: [ref(stack, 'Db/Cluster/R2/Resource')],
        StaticMembers: Match.absent(),
      });
      expect(everything.endpointIdentifier).toBe('orders-everything');
      expect(everything.type).toBe(CustomEndpointType.ANY);
    });

    test('is created after every instance of the cluster, and removed before them', () => {
      // GIVEN the endpoint of R1 WHEN synthesized THEN the instances it does not name are in its DependsOn, and the
      // one it names is ordered by its Ref alone (a DependsOn on it too would be redundant: cfn-lint W3005)
      const endpoint =
        template.findResources('AWS::RDS::DBClusterEndpoint')[stack.resolve(reporting.resource.logicalId)];
      expect([...endpoint.DependsOn].sort()).toEqual(
        ['Db/Cluster/Writer/Resource', 'Db/Cluster/R2/Resource'].map((p) => ref(stack, p).Ref).sort(),
      );
      expect(endpoint.Properties.StaticMembers).toEqual([ref(stack, 'Db/Cluster/R1/Resource')]);
    });

    test("exposes hostname, port (the cluster's literal port), socket address and ARN", () => {
      const logicalId = stack.resolve(reporting.resource.logicalId);
      expect(stack.resolve(reporting.hostname)).toEqual({ 'Fn::GetAtt': [logicalId, 'Endpoint'] });
      expect(stack.resolve(reporting.endpoint.hostname)).toEqual({ 'Fn::GetAtt': [logicalId, 'Endpoint'] });
      expect(reporting.port).toBe(3307);
      expect(stack.resolve(reporting.socketAddress)).toEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'Endpoint'] }, ':3307']],
      });
      expect(stack.resolve(reporting.endpointArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'DBClusterEndpointArn'] });
    });

    test('names members by construct id, instance identifier or reference', () => {
      // GIVEN a reader with an instance identifier
      const s = testStack(new App(), 'Members');
      const d = cluster({ readers: [provisioned('R1'), provisioned('R3', { instanceIdentifier: 'orders-r3' })] }, s);
      const r1 = d.cluster.node.findChild('R1').node.defaultChild as rds.CfnDBInstance;
      // WHEN
      d.addCustomEndpoint('ById', { staticMembers: ['orders-R3', r1.ref] });
      // THEN
      Template.fromStack(s).hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        StaticMembers: [ref(s, 'Db/Cluster/R3/Resource'), ref(s, 'Db/Cluster/R1/Resource')],
      });
    });

    test('passes an identifier known only at deploy time through unchanged', () => {
      const s = testStack(new App(), 'Token');
      const d = cluster({}, s);
      const name = new CfnParameter(s, 'EndpointName');
      d.addCustomEndpoint('Param', { endpointIdentifier: name.valueAsString });
      Template.fromStack(s).hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        DBClusterEndpointIdentifier: { Ref: 'EndpointName' },
      });
    });

    test('warns when a READER endpoint names the writer as a static member', () => {
      const s = testStack(new App(), 'Warn');
      const d = cluster({}, s);
      d.addCustomEndpoint('WithWriter', { staticMembers: ['Writer', 'R1'] });
      Annotations.fromStack(s).hasWarning(
        '/Warn/Db/CustomEndpoints/WithWriter',
        Match.stringLikeRegexp(
          "staticMembers names the writer \\('Writer'\\).*https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html",
        ),
      );
    });

    test('works on a Serverless v2 cluster', () => {
      const s = testStack(new App(), 'Slv2');
      const d = new AuroraCluster(s, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(s) });
      d.addCustomEndpoint('Reader', { staticMembers: ['Reader'] });
      Template.fromStack(s).resourceCountIs('AWS::RDS::DBClusterEndpoint', 1);
    });
  });

  describe('analytics', () => {
    const stack = testStack();
    const db = cluster(
      {
        analytics: {
          readers: [provisioned('Bi', { promotionTier: 1 }), rds.ClusterInstance.serverlessV2('Adhoc')],
          endpointIdentifier: 'orders-analytics',
        },
      },
      stack,
    );
    const template = Template.fromStack(stack);
    const tierOf = (id: string) =>
      template.findResources('AWS::RDS::DBInstance')[ref(stack, `Db/Cluster/${id}/Resource`).Ref].Properties
        .PromotionTier;

    test('creates the analytics readers in the lowest failover priority, whatever tier they were given', () => {
      expect(tierOf('Bi')).toBe(15);
      expect(tierOf('Adhoc')).toBe(15);
    });

    test('leaves the writer and the other readers in their tiers', () => {
      expect(tierOf('Writer')).toBe(0);
      expect(tierOf('R1')).toBe(2);
      expect(tierOf('R2')).toBe(2);
    });

    test('the analytics endpoint serves exactly the analytics readers', () => {
      template.hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        DBClusterEndpointIdentifier: 'orders-analytics',
        CustomEndpointType: 'READER',
        StaticMembers: [ref(stack, 'Db/Cluster/Bi/Resource'), ref(stack, 'Db/Cluster/Adhoc/Resource')],
      });
      expect(db.analyticsEndpoint!.endpointIdentifier).toBe('orders-analytics');
    });

    test('the application reader endpoint excludes them, so autoscaled replicas join it', () => {
      template.hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        CustomEndpointType: 'READER',
        ExcludedMembers: [ref(stack, 'Db/Cluster/Bi/Resource'), ref(stack, 'Db/Cluster/Adhoc/Resource')],
        StaticMembers: Match.absent(),
      });
      expect(db.appReaderEndpoint).toBeDefined();
    });

    test('without analytics, no endpoint is created', () => {
      const plain = cluster({}, testStack(new App(), 'Plain'));
      expect(plain.analyticsEndpoint).toBeUndefined();
      expect(plain.appReaderEndpoint).toBeUndefined();
      Template.fromStack(Stack.of(plain)).resourceCountIs('AWS::RDS::DBClusterEndpoint', 0);
    });
  });

  describe('validation', () => {
    const build = (props: Partial<AuroraClusterProps> = {}) => cluster(props, testStack(new App(), 'V'));

    test('rejects a sixth custom endpoint, counting the two of the analytics pattern', () => {
      const db = build({ analytics: { readers: [provisioned('Bi')] } });
      db.addCustomEndpoint('E3');
      db.addCustomEndpoint('E4');
      db.addCustomEndpoint('E5');
      expect(() => db.addCustomEndpoint('E6')).toThrow(
        /V\/Db\/CustomEndpoints\/E6: addCustomEndpoint: a cluster has at most 5 custom endpoints, this would be number 6 .*https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Aurora\.Endpoints\.Custom\.html/,
      );
    });

    test.each<[string, Parameters<AuroraCluster['addCustomEndpoint']>[1], RegExp]>([
      [
        'a WRITER endpoint',
        { type: 'WRITER' as CustomEndpointType },
        /type: 'WRITER' is not a custom endpoint type; .* READER or ANY \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Aurora\.Endpoints\.Custom\.Considerations\.html#Aurora\.Endpoints\.Custom\.Properties\)/,
      ],
      [
        'static and excluded members together',
        { staticMembers: ['R1'], excludedMembers: ['R2'] },
        /staticMembers\/excludedMembers: only one of staticMembers or excludedMembers may be specified/,
      ],
      [
        'a member that is not an instance of the cluster',
        { staticMembers: ['R1', 'Nope'] },
        /staticMembers: 'Nope' is not an instance of this cluster; .*'Writer', 'R1', 'R2'/,
      ],
      [
        'an excluded member that is not an instance of the cluster',
        { excludedMembers: ['Ghost'] },
        /excludedMembers: 'Ghost' is not an instance of this cluster/,
      ],
      [
        'an identifier starting with a digit',
        { endpointIdentifier: '1reporting' },
        /endpointIdentifier: '1reporting' must be 1 to 63 letters, digits or hyphens/,
      ],
      ['an identifier with --', { endpointIdentifier: 'a--b' }, /endpointIdentifier: 'a--b' must be/],
      [
        'an identifier with a trailing hyphen',
        { endpointIdentifier: 'reporting-' },
        /endpointIdentifier: 'reporting-' must be/,
      ],
      ['an identifier of 64 characters', { endpointIdentifier: 'a'.repeat(64) }, /endpointIdentifier: 'a{64}' must be/],
      [
        'an identifier with an underscore',
        { endpointIdentifier: 'my_endpoint' },
        /endpointIdentifier: 'my_endpoint' must be/,
      ],
    ])('rejects %s', (_name, options, expected) => {
      expect(() => build().addCustomEndpoint('E', options)).toThrow(expected);
    });

    test('rejects a member of another cluster', () => {
      const stack = testStack(new App(), 'V');
      const vpc = testVpc(stack);
      const other = new AuroraCluster(stack, 'Other', { engine: MYSQL_3_08, vpc, writer: provisioned('Writer') });
      const db = new AuroraCluster(stack, 'Db', {
        engine: MYSQL_3_08,
        vpc,
        writer: provisioned('Writer'),
        readers: [provisioned('R1')],
      });
      const foreign = (other.cluster.node.findChild('Writer').node.defaultChild as rds.CfnDBInstance).ref;
      expect(() => db.addCustomEndpoint('E', { staticMembers: [foreign] })).toThrow(
        /is not an instance of this cluster/,
      );
    });

    test('rejects an endpoint identifier used twice in the app (unique per Region)', () => {
      const db = build();
      db.addCustomEndpoint('A', { endpointIdentifier: 'reporting' });
      expect(() => db.addCustomEndpoint('B', { endpointIdentifier: 'Reporting' })).toThrow(
        /endpointIdentifier: 'Reporting' is already used by another custom endpoint of this app/,
      );
    });

    test('accepts a 63-character identifier', () => {
      expect(() => build().addCustomEndpoint('E', { endpointIdentifier: `a${'1'.repeat(62)}` })).not.toThrow();
    });

    test.each<[string, Partial<AuroraClusterProps>, RegExp]>([
      ['analytics without readers', { analytics: { readers: [] } }, /V\/Db: analytics.readers: lists no reader/],
      [
        'more than 15 readers with the analytics readers',
        {
          readers: Array.from({ length: 14 }, (_, i) => provisioned(`R${i}`)),
          analytics: { readers: [provisioned('A'), provisioned('B')] },
        },
        /analytics.readers: readers \(14\) plus analytics readers \(2\) exceed the 15 Aurora Replicas/,
      ],
      [
        'an invalid analytics endpoint identifier',
        { analytics: { readers: [provisioned('Bi')], endpointIdentifier: 'bad_name' } },
        /V\/Db\/AnalyticsEndpoint: endpointIdentifier: 'bad_name' must be/,
      ],
    ])('rejects %s', (_name, props, expected) => {
      expect(() => build(props)).toThrow(expected);
    });

    test('analytics needs a writer to replicate from', () => {
      const rules = analyticsRules({ analyticsReaders: 1, readers: 0, hasWriter: false }).filter((r) => r.condition);
      expect(rules.map((r) => r.message)).toEqual([
        expect.stringMatching(/the cluster has no writer, and analytics readers need one/),
      ]);
      expect(analyticsRules({ analyticsReaders: 1, readers: 0, hasWriter: true }).filter((r) => r.condition)).toEqual(
        [],
      );
    });
  });
});

describe('AuroraCluster custom endpoint tags and Regions', () => {
  test('Tags.of(app) reaches the custom endpoints, as it reaches the cluster', () => {
    // GIVEN a cluster with a custom endpoint and the analytics pattern
    const app = new App();
    const stack = testStack(app);
    const db = cluster({ analytics: { readers: [provisioned('Bi')] } }, stack);
    db.addCustomEndpoint('Reporting', { staticMembers: ['R1'] });
    // WHEN the app is tagged
    Tags.of(app).add('cost-center', 'orders');
    // THEN every endpoint carries the tag
    const endpoints = Template.fromStack(stack).findResources('AWS::RDS::DBClusterEndpoint');
    expect(Object.keys(endpoints)).toHaveLength(3);
    for (const endpoint of Object.values(endpoints)) {
      expect(endpoint.Properties.Tags).toEqual([{ Key: 'cost-center', Value: 'orders' }]);
    }
  });

  test('an untagged endpoint renders no Tags', () => {
    const stack = testStack();
    cluster({}, stack).addCustomEndpoint('Reporting', { staticMembers: ['R1'] });
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBClusterEndpoint', { Tags: Match.absent() });
  });

  test.each(['cn-north-1', 'cn-northwest-1', 'me-central-1', 'us-gov-east-1', 'us-gov-west-1'])(
    'rejects custom endpoints in %s, where CloudFormation does not offer AWS::RDS::DBClusterEndpoint',
    (region) => {
      // GIVEN a stack in a Region without the resource type
      const stack = testStack(new App(), 'TestStack', { account: '123456789012', region });
      // WHEN a custom endpoint or the analytics pattern is added THEN synth fails with the Region named
      expect(() => cluster({}, stack).addCustomEndpoint('Reporting', { staticMembers: ['R1'] })).toThrow(
        new RegExp(
          `TestStack/Db/CustomEndpoints/Reporting: env.region: CloudFormation does not offer AWS::RDS::DBClusterEndpoint in ${region} \\(https://`,
        ),
      );
      const other = testStack(new App(), 'TestStack', { account: '123456789012', region });
      expect(() => cluster({ analytics: { readers: [provisioned('Bi')] } }, other)).toThrow(
        /TestStack\/Db\/AnalyticsEndpoint: env.region: CloudFormation does not offer/,
      );
    },
  );

  test('accepts custom endpoints where the Region is unknown at synth (environment-agnostic stack)', () => {
    const stack = new Stack(new App(), 'Agnostic');
    expect(() => cluster({}, stack).addCustomEndpoint('Reporting', { staticMembers: ['R1'] })).not.toThrow();
  });
});

describe('AuroraCluster custom endpoint stability', () => {
  const stack = testStack();
  const db = cluster({ analytics: { readers: [provisioned('Bi')] } }, stack);
  db.addCustomEndpoint('Reporting', { staticMembers: ['R1'] });
  const template = Template.fromStack(stack);

  test('logical IDs and derived identifiers of the endpoints never change', () => {
    expect(Object.keys(template.findResources('AWS::RDS::DBClusterEndpoint')).sort()).toEqual([
      'DbAnalyticsEndpointFB3B12B0',
      'DbAppReaderEndpointA1141D04',
      'DbCustomEndpointsReportingDCAA229D',
    ]);
    expect(
      Object.values(template.findResources('AWS::RDS::DBClusterEndpoint')).map(
        (e) => e.Properties.DBClusterEndpointIdentifier,
      ),
    ).toEqual([
      derivedName('teststack-dbanalyticsendpointfb3b12b0'),
      derivedName('teststack-dbappreaderendpointa1141d04'),
      derivedName('teststack-dbcustomendpointsreportingdcaa229d'),
    ]);
    expect(Object.keys(template.findResources('AWS::RDS::DBInstance')).sort()).toEqual([
      'DbClusterBi67B8834E',
      'DbClusterR11A904EAA',
      'DbClusterR2EF629EB0',
      'DbClusterWriter04F49224',
    ]);
  });

  test('snapshot: analytics pattern and a custom endpoint (Aurora MySQL)', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
