// The devserver's control API (`/__devserver/…`) from Node or from a page: JSON in,
// JSON (or nothing) out, and an error naming the call on any non-2xx answer.

export function controller(baseUrl) {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}/__devserver${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };
}
