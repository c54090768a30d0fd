/**
 * `matrix --as` values: a role name, or a JSON file describing an identity
 * and its permissions. Each becomes a named SecurityContext.
 * @module
 */
import { basename, extname } from "node:path";
import { createSecurityContext } from "../core/index.js";
import type { Identity, Permission, SecurityContext } from "../core/index.js";
import { CliUsageError } from "./io.js";
import { readJsonFile } from "./load-json.js";

/** A named caller for the access matrix. */
export interface MatrixSubject {
  name: string;
  security: SecurityContext;
}

/** The role name that means "no identity". */
export const ANONYMOUS = "anonymous";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Permissions a `roles` export grants a role: a list, or `{ permissions: [...] }`. */
function rolePermissions(roles: Record<string, unknown> | undefined, role: string): Permission[] | undefined {
  const entry = roles?.[role];
  const list = Array.isArray(entry) ? entry : isRecord(entry) && Array.isArray(entry.permissions) ? entry.permissions : undefined;
  return list?.filter((p): p is Permission => isRecord(p) && typeof p.name === "string");
}

function permissionsOf(value: unknown, label: string): Permission[] {
  if (!Array.isArray(value) || value.some((p) => !isRecord(p) || typeof p.name !== "string")) {
    throw new CliUsageError(`${label}: "permissions" must be an array of { "name": string, ... } objects.`);
  }
  return value as Permission[];
}

function fromRole(role: string, roles: Record<string, unknown> | undefined): MatrixSubject {
  const permissions = rolePermissions(roles, role);
  if (roles && permissions === undefined && role !== ANONYMOUS) {
    throw new CliUsageError(`unknown role '${role}' in --as; the module's roles export defines: ${Object.keys(roles).join(", ") || "(none)"}.`);
  }
  const identity: Identity | null = role === ANONYMOUS ? null : { id: `role:${role}`, type: "role", roles: [role] };
  return { name: role, security: createSecurityContext({ identity, permissions: permissions ?? [] }) };
}

function fromFile(cwd: string, file: string, roles: Record<string, unknown> | undefined): MatrixSubject {
  const label = `identity file ${file}`;
  const json = readJsonFile(cwd, file, "identity file");
  if (!isRecord(json)) throw new CliUsageError(`${label}: must be an object { "name"?, "identity": {...} | null, "permissions"?: [...] }.`);
  // Either { identity, permissions } or the identity itself.
  const raw = "identity" in json ? json.identity : json;
  if (raw !== null && (!isRecord(raw) || typeof raw.id !== "string")) {
    throw new CliUsageError(`${label}: "identity" must be null (anonymous) or an object with a string "id".`);
  }
  const { permissions: ownPermissions, name: _name, ...identityFields } = (raw ?? {}) as Record<string, unknown>;
  const identity = raw === null ? null : (identityFields as Identity);
  const listed = json.permissions ?? ownPermissions;
  const permissions =
    listed !== undefined
      ? permissionsOf(listed, label)
      : (identity?.roles ?? []).flatMap((r) => (typeof r === "string" ? (rolePermissions(roles, r) ?? []) : []));
  const name = typeof json.name === "string" && json.name !== "" ? json.name : basename(file, extname(file));
  return { name, security: createSecurityContext({ identity, permissions }) };
}

/**
 * One subject per `--as` value: `*.json` paths are identity files, anything
 * else a role (`anonymous` = no identity). Role permissions come from the
 * project module's `roles` export when it has one.
 * @throws CliUsageError for unknown roles, unreadable or malformed files
 */
export function loadSubjects(cwd: string, values: readonly string[], roles: Record<string, unknown> | undefined): MatrixSubject[] {
  if (values.length === 0) {
    throw new CliUsageError("missing --as: name at least one role (e.g. --as anonymous --as admin) or identity JSON file.");
  }
  const subjects = values.map((v) => (v.toLowerCase().endsWith(".json") ? fromFile(cwd, v, roles) : fromRole(v, roles)));
  const names = subjects.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new CliUsageError(`two subjects are named '${dup}'; give identity files distinct "name" fields.`);
  return subjects;
}
