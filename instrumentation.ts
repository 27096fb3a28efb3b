import type { Instrumentation } from "next";

// Runs once when the server starts: refuse to serve with invalid configuration, weaker database settings or
// a database whose migrations are behind the code.
export async function register(): Promise<void> {
  const { nextRuntime } = await import("@/lib/env");
  if (nextRuntime() !== "nodejs") return;
  const { startupCheck, stopInterruptedImports } = await import("@/lib/startup");
  startupCheck();
  stopInterruptedImports();
}

// The error page shows only the digest as a reference; this log line pairs the same reference with the detail.
// Never log headers, bodies or query strings: they can hold request content or a person's details.
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  const { logEvent } = await import("@/lib/log");
  const detail = error instanceof Error ? error : new Error(String(error));
  const digest = (error as { digest?: unknown } | null)?.digest;
  logEvent("error", "request.error", {
    reference: typeof digest === "string" ? digest : null,
    method: request.method,
    route: context.routePath,
    routeType: context.routeType,
    error: detail.name,
    message: detail.message,
    stack: detail.stack,
  });
};
