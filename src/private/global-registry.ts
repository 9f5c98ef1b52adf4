import { IConstruct } from 'constructs';
import { Rule } from './validate';
import { Member } from './validate-global';

/**
 * What a Global Database offers its secondary clusters: the placement rules against the primary and the secondaries
 * already added, and the registration of a new secondary. Kept here, by construct, so that the secondary cluster's
 * file needs only the `IAuroraGlobalDatabase` interface and no import of the global database's file.
 */
export interface GlobalDatabaseRegistration {
  placementRules(secondary: Member): Rule[];
  registerSecondary(secondary: IConstruct): void;
}

const REGISTRATIONS = new WeakMap<IConstruct, GlobalDatabaseRegistration>();

export function registerGlobalDatabase(globalDatabase: IConstruct, registration: GlobalDatabaseRegistration): void {
  REGISTRATIONS.set(globalDatabase, registration);
}

/** The registration of a global database, or undefined when it is not an `AuroraGlobalDatabase` of this library. */
export function globalDatabaseRegistration(globalDatabase: IConstruct): GlobalDatabaseRegistration | undefined {
  return REGISTRATIONS.get(globalDatabase);
}
