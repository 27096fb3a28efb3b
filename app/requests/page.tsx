import type { Metadata } from "next";
import * as z from "zod";

import { MyRequests } from "@/components/requests/my-requests";
import { listMyRequests } from "@/db/queries/requests";
import { requireUser } from "@/lib/auth/session";
import { clock } from "@/lib/clock";

export const metadata: Metadata = { title: "Your requests" };

// A stale or tampered page number shows the first page rather than an error.
const PageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MyRequestsPage({ searchParams }: Props) {
  const viewer = await requireUser();
  const { page } = await searchParams;
  const list = listMyRequests(viewer, PageParam.parse(Array.isArray(page) ? page[0] : page));
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <h1 className="govuk-heading-l">Your requests</h1>
        <p className="govuk-body">
          Requests you have sent to equality supporters. Only you and the supporter you asked can read what you wrote.
        </p>
        <MyRequests list={list} now={clock.now()} />
      </div>
    </div>
  );
}
