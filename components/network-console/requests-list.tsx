import { approveAction } from "@/app/networks/[slug]/manage/actions";
import { escapeMarkup, summaryListMarkup } from "@/components/markup";
import type { PendingRequest } from "@/db/queries/network-console";
import { formatDay } from "./format";

type Props = { networkId: string; slug: string; requests: readonly PendingRequest[] };

// One card per request, oldest first. Approving is a single button (it only lets the person in); declining needs
// a reason, so it has a page of its own. One form holds the page's cards: each Approve button sends its own
// request's id as the pressed button's value, so the page carries one action and one network id, not twenty.
// The cards are markup (components/markup.ts): a busy network's page of twenty was most of the console's render.
export function RequestsList({ networkId, slug, requests }: Props) {
  return (
    <form action={approveAction}>
      <input type="hidden" name="networkId" value={networkId} />
      <div dangerouslySetInnerHTML={{ __html: requests.map((request) => requestCardMarkup(slug, request)).join("") }} />
    </form>
  );
}

function requestCardMarkup(slug: string, request: PendingRequest): string {
  const name = escapeMarkup(request.name);
  const id = encodeURIComponent(request.membershipId);
  const hidden = `<span class='govuk-visually-hidden'> the request from ${name}</span>`;
  const facts = summaryListMarkup([
    { key: "Asked to join", value: formatDay(request.requestedAt) },
    { key: "Their note", value: request.note || "No note" },
  ]);
  return (
    `<div class='govuk-summary-card'><div class='govuk-summary-card__title-wrapper'><h3 class='govuk-summary-card__title'>${name}</h3></div>` +
    `<div class='govuk-summary-card__content'>${facts}<div class='govuk-button-group'>` +
    `<button type='submit' name='membershipId' value='${escapeMarkup(request.membershipId)}' class='govuk-button' data-module='govuk-button'>Approve${hidden}</button>` +
    `<a class='govuk-button govuk-button--secondary' href='/networks/${encodeURIComponent(slug)}/manage/requests/${id}/decline'>Decline${hidden}</a>` +
    `</div></div></div>`
  );
}
