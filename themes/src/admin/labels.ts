import { useEffect, useState } from "react";
import type { Api } from "../common/api";
import type { Column } from "../common/model";
import { fqn } from "../common/model";

export type ColumnInfo = { label?: string; description?: string };
/** Key: `datasource/schema.table.column`. */
export type ColumnLabels = Map<string, ColumnInfo>;

export const columnKey = (datasource: string, column: string) => `${datasource}/${column}`;

/**
 * Labels and descriptions of the catalog's columns, for approvers who see requests as column names:
 * the admin catalog when the user manages it, else the realm's user catalog (an approver signed in to
 * the realm may read it like any user).
 */
export function useColumnLabels(apis: { admin: Api; user: Api; sameRealm: boolean }) {
  const [labels, setLabels] = useState<ColumnLabels>(new Map());
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const map: ColumnLabels = new Map();
      const add = (c: Column) => map.set(columnKey(c.datasource, fqn(c)), { label: c.label, description: c.description });
      try {
        const columns = await apis.admin.get<Column[]>("columns");
        (columns ?? []).forEach(add);
      } catch {
        if (apis.sameRealm) {
          try {
            const catalog = await apis.user.get<{ datasources?: { id: string; columns?: Column[] }[]; columns?: Column[] }>("catalog");
            (catalog?.datasources ?? []).forEach((d) => (d.columns ?? []).forEach((c) => add({ ...c, datasource: c.datasource ?? d.id })));
            (catalog?.columns ?? []).forEach(add);
          } catch {
            // labels are a nicety: the columns' names still show
          }
        }
      }
      if (!cancelled) setLabels(map);
    })();
    return () => {
      cancelled = true;
    };
  }, [apis]);
  return labels;
}
