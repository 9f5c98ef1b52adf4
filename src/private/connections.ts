import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/**
 * The connections of a database: as `ec2.Connections`, except that letting in a peer whose security group lives in
 * another stack writes both rules into that peer's stack (as `peer.connections.allowTo(database, port)` does).
 *
 * aws-cdk-lib writes the ingress rule into the database's stack, referencing the peer's group: the database's stack
 * then depends on the application's stack, which usually depends on the database's (endpoint, secret), and the two
 * form a cycle. The rules land in the peer's stack instead, so the dependency runs from the application to the
 * database only. A database stack that explicitly depends on the peer's stack keeps aws-cdk-lib's placement.
 */
export class DatabaseConnections extends ec2.Connections {
  /** Set while the peer's `allowTo` runs, which calls back into `allowFrom` for the ingress half. */
  private reversing = false;

  constructor(
    private readonly owner: IConstruct,
    props: ec2.ConnectionsProps,
  ) {
    super(props);
  }

  public allowFrom(other: ec2.IConnectable, portRange: ec2.Port, description?: string): void {
    if (this.reversing || !this.rulesBelongInPeerStack(other)) {
      super.allowFrom(other, portRange, description);
      return;
    }
    this.reversing = true;
    try {
      other.connections.allowTo(this, portRange, description);
    } finally {
      this.reversing = false;
    }
  }

  private rulesBelongInPeerStack(other: ec2.IConnectable): boolean {
    const ours = Stack.of(this.owner);
    const theirs = other.connections.securityGroups.map((sg) => Stack.of(sg));
    if (theirs.length === 0) return false;
    const peerStack = theirs[0];
    return (
      theirs.every((s) => s === peerStack) &&
      peerStack !== ours &&
      peerStack.account === ours.account &&
      peerStack.region === ours.region &&
      !ours.dependencies.includes(peerStack)
    );
  }
}
