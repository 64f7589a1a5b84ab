/**
 * The public contract of DESIGN.md ("Public contracts"), as the consoles read it. Field names are the
 * API's; optional fields are tolerated so a page still renders while the API grows.
 */
export type RequestStatus =
  | "PENDING"
  | "APPROVED"
  | "DENIED"
  | "CANCELLED"
  | "TIMED_OUT"
  | "EXPIRED"
  | "REVOKED";

export type UserRef = { id: string; username: string };

export type Stage = {
  name: string;
  approverGroup?: string;
  approverRole?: string;
  /** The group or role was removed in Keycloak: nobody decides the stage until another is named. */
  approverRemoved?: boolean;
  minApprovals?: number;
};

export type Decision = {
  stage: string;
  approver: UserRef;
  decision: "APPROVED" | "DENIED";
  comment?: string;
  at: string;
};

export type Grant = {
  id: string;
  requestId: string;
  user: UserRef;
  datasource: string;
  columns: string[];
  startsAt: string;
  expiresAt: string;
  revokedAt?: string;
  revokedBy?: string | UserRef;
  revokeReason?: string;
};

export type AccessRequest = {
  id: string;
  status: RequestStatus;
  datasource: string;
  columns: string[];
  reason: string;
  ticket?: string;
  durationMinutes: number;
  breakGlass?: boolean;
  requester: UserRef;
  currentStage?: string | null;
  stages: Stage[];
  decisions: Decision[];
  createdAt: string;
  decidedAt?: string | null;
  grant?: Grant | null;
};

export type Datasource = { id: string; name?: string; description?: string };

export type Policy = {
  id: string;
  name?: string;
  stages: Stage[];
  maxDurationMinutes?: number;
  defaultDurationMinutes?: number;
  pendingTimeoutMinutes?: number;
  escalateAfterMinutes?: number;
  escalationGroup?: string;
  escalationGroupRemoved?: boolean;
  reasonMinLength?: number;
  ticketPattern?: string;
  breakGlassMaxMinutes?: number;
};

export type Column = {
  id: string;
  datasource: string;
  schema: string;
  table: string;
  column: string;
  label?: string;
  description?: string;
  /** A policy id (admin catalog) or, in the user catalog, the policy summary. */
  policy?: string | Policy;
  maxDurationMinutes?: number;
};

export type TokenResponse = {
  access_token: string;
  token_type: string;
  expires_in: number;
  columns?: string[] | Record<string, string[]>;
};

/** The error body of every jit-columns endpoint. */
export type ApiErrorBody = { error: string; field?: string; message: string };

export const fqn = (c: Pick<Column, "schema" | "table" | "column">) =>
  `${c.schema}.${c.table}.${c.column}`;

/** One entry of the audit chain (GET /audit); seq and hash are null while it waits for the sealer. */
export type AuditEntry = {
  seq?: number | null;
  at: string;
  actor?: UserRef | null;
  action: string;
  requestId?: string | null;
  grantId?: string | null;
  details?: string | null;
  hash?: string | null;
};

/** GET /audit/verify */
export type AuditVerification = {
  ok: boolean;
  entries: number;
  pending: number;
  brokenAt?: number | null;
  problem?: string | null;
  headHash?: string | null;
};
