/** Remaining time as `1h 02m 03s` (or `0s`). */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return "0s";
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : m > 0 ? `${m}m ${pad(s)}s` : `${s}s`;
}

/** An age such as `5 min` or `2 h` from an ISO instant. */
export function formatAge(iso: string | undefined, now = Date.now()): string {
  if (!iso) return "";
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`;
}

export function formatDateTime(iso: string | undefined | null, locale?: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

export const LABEL_COLORS: Record<string, "red" | "orange" | "purple" | "gold" | "grey"> = {
  PII: "orange",
  PCI: "red",
  PHI: "purple",
  SECRET: "gold",
};

export const STATUS_COLORS: Record<string, "blue" | "green" | "red" | "grey" | "orange"> = {
  PENDING: "blue",
  APPROVED: "green",
  DENIED: "red",
  CANCELLED: "grey",
  TIMED_OUT: "orange",
  EXPIRED: "grey",
  REVOKED: "red",
};

/** Saves a Blob as a file through a temporary link. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
