import { fqn, type Column, type Datasource, type Policy, type Stage } from "../common/model";

export type CatalogColumn = Column & { fqn: string; policyInfo?: Policy };
type RawColumn = Column & { policySummary?: Policy };
export type CatalogDatasource = Datasource & { columns: CatalogColumn[] };

type RawCatalog = {
  datasources?: (Datasource & { columns?: RawColumn[] })[];
  columns?: Column[];
  policies?: Policy[];
};

/**
 * `GET /catalog` as a list of datasources with their requestable columns. Accepts the columns nested
 * in each datasource or listed beside them, and the policy as the server's `policySummary`, a summary
 * object, or an id resolved against a `policies` list.
 */
export function normalizeCatalog(raw: RawCatalog | undefined): CatalogDatasource[] {
  const policies = new Map((raw?.policies ?? []).map((p) => [p.id, p]));
  const topLevel = raw?.columns ?? [];
  return (raw?.datasources ?? []).map((ds) => {
    const columns = [...(ds.columns ?? []), ...topLevel.filter((c) => c.datasource === ds.id)];
    return {
      ...ds,
      columns: columns.map((c) => {
        const policyInfo =
          (c as RawColumn).policySummary ??
          (typeof c.policy === "object" && c.policy !== null
            ? c.policy
            : typeof c.policy === "string"
              ? policies.get(c.policy)
              : undefined);
        return { ...c, datasource: c.datasource ?? ds.id, fqn: fqn(c), policyInfo };
      }),
    };
  });
}

/** Columns grouped by `schema.table`, in catalog order. */
export function byTable(columns: CatalogColumn[]): [string, CatalogColumn[]][] {
  const groups = new Map<string, CatalogColumn[]>();
  for (const c of columns) {
    const key = `${c.schema}.${c.table}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()];
}

/** What the selected columns' policies allow together: the strictest union (DESIGN.md, Domain). */
export function combinedPolicy(selected: CatalogColumn[]) {
  const policies = selected.map((c) => c.policyInfo).filter((p): p is Policy => !!p);
  const maxes = [
    ...policies.map((p) => p.maxDurationMinutes),
    ...selected.map((c) => c.maxDurationMinutes),
  ].filter((m): m is number => typeof m === "number" && m > 0);
  const defaults = policies
    .map((p) => p.defaultDurationMinutes)
    .filter((m): m is number => typeof m === "number" && m > 0);
  const stages: Stage[] = [];
  for (const p of policies) {
    for (const s of p.stages ?? []) {
      if (!stages.some((x) => x.name === s.name && x.approverGroup === s.approverGroup && x.approverRole === s.approverRole)) {
        stages.push(s);
      }
    }
  }
  const reasonMinLength = Math.max(0, ...policies.map((p) => p.reasonMinLength ?? 0));
  const ticketPatterns = [...new Set(policies.map((p) => p.ticketPattern).filter((t): t is string => !!t))];
  const maxDuration = maxes.length ? Math.min(...maxes) : undefined;
  // Break glass only where every selected column's policy allows it; at most the smallest allowance.
  const glass = policies.map((p) => p.breakGlassMaxMinutes ?? 0);
  const breakGlassMax = policies.length && glass.every((g) => g > 0) ? Math.min(...glass) : 0;
  const defaultDuration = defaults.length ? Math.min(...defaults) : undefined;
  return { maxDuration, defaultDuration, stages, reasonMinLength, ticketPatterns, breakGlassMax };
}
