import { approveAction } from "@/app/networks/[slug]/manage/actions";
import { escapeMarkup } from "@/components/markup";
import type { PendingRequest } from "@/db/queries/network-console";
import { formatDay } from "./format";

type Props = { networkId: string; slug: string; requests: readonly PendingRequest[]; caption: string };

// One row per request, oldest first: who, when, their note, and the two decisions. Approving is a single button (it
// only lets the person in); declining needs a reason, so it has a page of its own. One form holds the table: each
// Approve button sends its own request's id as the pressed button's value, so the page carries one action and one
// network id, not twenty-five. The rows are markup (components/markup.ts): a busy network's full page of requests
// was most of the console's render, and a table row is half the size of the summary card it replaced.
export function RequestsList({ networkId, slug, requests, caption }: Props) {
  return (
    <form action={approveAction}>
      <input type="hidden" name="networkId" value={networkId} />
      <table className="govuk-table">
        {/* The section's heading already says "Requests to join"; the caption is for screen reader users moving by table. */}
        <caption className="govuk-table__caption">
          <span className="govuk-visually-hidden">{caption}</span>
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Name</th>
            <th scope="col" className="govuk-table__header">Asked to join</th>
            <th scope="col" className="govuk-table__header">Their note</th>
            <th scope="col" className="govuk-table__header">
              <span className="govuk-visually-hidden">Decision</span>
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body app-plain-rows" dangerouslySetInnerHTML={{ __html: requests.map((request) => requestRowMarkup(slug, request)).join("") }} />
      </table>
    </form>
  );
}

function requestRowMarkup(slug: string, request: PendingRequest): string {
  const name = escapeMarkup(request.name);
  const hidden = `<span class='govuk-visually-hidden'> the request from ${name}</span>`;
  const decline = `/networks/${encodeURIComponent(slug)}/manage/requests/${encodeURIComponent(request.membershipId)}/decline`;
  return (
    `<tr><th scope='row'>${name}</th><td>${formatDay(request.requestedAt)}</td><td class='app-note'>${escapeMarkup(request.note || "No note")}</td>` +
    `<td><div class='govuk-button-group'>` +
    `<button type='submit' name='membershipId' value='${escapeMarkup(request.membershipId)}' class='govuk-button' data-module='govuk-button'>Approve${hidden}</button>` +
    `<a class='govuk-button govuk-button--secondary' href='${escapeMarkup(decline)}'>Decline${hidden}</a>` +
    `</div></td></tr>`
  );
}
