/** What each role may do (API.md's roles), and what part of the district each account sees. */
import type { Role, User, Zone } from '../store/records.js';

export type Permission =
  | 'read'
  | 'users.manage'
  | 'audit.read'
  | 'zones.write'
  | 'devices.write'
  | 'devices.command'
  | 'media.write'
  | 'broadcasts.write';

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>(['read', 'users.manage', 'audit.read', 'zones.write', 'devices.write', 'devices.command', 'media.write', 'broadcasts.write']),
  officer: new Set<Permission>(['read', 'media.write', 'broadcasts.write']),
  technician: new Set<Permission>(['read', 'zones.write', 'devices.write', 'devices.command']),
  viewer: new Set<Permission>(['read']),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}

/** The account a request acts as, without its secrets. */
export interface Actor {
  id: string;
  username: string;
  role: Role;
  commune: string | null;
}

export function actorOf(user: User): Actor {
  return { id: user.id, username: user.username, role: user.role, commune: user.commune };
}

/** A district account (commune null) sees every commune; a commune account only its own. */
export function inScope(actor: Actor, commune: string | null): boolean {
  return actor.commune === null || actor.commune === commune;
}

export function zoneVisible(actor: Actor, zone: Zone | undefined): boolean {
  return zone !== undefined && inScope(actor, zone.commune);
}
