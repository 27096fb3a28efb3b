import { NextResponse } from "next/server";

import { db } from "@/db/client";
import { migrationsCurrent } from "@/db/migrate";

// For load balancers and monitoring, so it needs no sign-in; it says nothing but whether the service can work.
export function GET(): NextResponse {
  try {
    db.$client.prepare("SELECT 1").get();
    const { current } = migrationsCurrent(db);
    return NextResponse.json(
      { status: current ? "ok" : "degraded", database: "reachable", migrations: current ? "current" : "pending" },
      { status: current ? 200 : 503, headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return NextResponse.json(
      { status: "down", database: "unreachable", migrations: "unknown" },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
