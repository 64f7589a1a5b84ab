import type { ApiErrorBody } from "./model";

/** An HTTP error of our API, with the `{error, field?, message}` body when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message || body.error || `HTTP ${status}`);
  }

  get field() {
    return this.body.field;
  }
}

export type TokenSource = () => Promise<string | undefined>;

export type Api = {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  del(path: string): Promise<void>;
  download(path: string): Promise<Blob>;
};

/** A small JSON client for `base` (e.g. `.../realms/acme/jit-columns`), with the user's bearer token. */
export function createApi(base: string, token: TokenSource): Api {
  async function call(method: string, path: string, body?: unknown, signal?: AbortSignal) {
    const headers: Record<string, string> = { Accept: "application/json" };
    const bearer = await token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    if (!response.ok) {
      throw new ApiError(response.status, await errorBody(response));
    }
    return response;
  }

  const json = async <T>(response: Response): Promise<T> => {
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };

  return {
    get: async (path, signal) => json(await call("GET", path, undefined, signal)),
    post: async (path, body) => json(await call("POST", path, body ?? {})),
    put: async (path, body) => json(await call("PUT", path, body ?? {})),
    del: async (path) => {
      await call("DELETE", path);
    },
    download: async (path) => (await call("GET", path)).blob(),
  };
}

async function errorBody(response: Response): Promise<ApiErrorBody> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object") {
      return {
        error: parsed.error ?? String(response.status),
        field: parsed.field ?? undefined,
        message: parsed.message ?? parsed.errorMessage ?? parsed.error_description ?? parsed.error ?? "",
      };
    }
  } catch {
    // not JSON
  }
  return { error: String(response.status), message: text || response.statusText };
}

/** A message for an alert: the API's message, or the HTTP status. */
export const errorMessage = (e: unknown) =>
  e instanceof ApiError ? e.message || `HTTP ${e.status}` : e instanceof Error ? e.message : String(e);
