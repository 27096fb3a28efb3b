import { approveAction } from "@/app/networks/[slug]/manage/actions";
import type { PendingRequest } from "@/db/queries/network-console";
import { formatDay } from "./format";
import { Lines } from "./lines";

type Props = { networkId: string; slug: string; requests: readonly PendingRequest[] };

// One card per request, oldest first. Approving is a single button (it only lets the person in); declining needs
// a reason, so it has a page of its own. One form holds the page's cards: each Approve button sends its own
// request's id as the pressed button's value, so the page carries one action and one network id, not twenty.
export function RequestsList({ networkId, slug, requests }: Props) {
  return (
    <form action={approveAction}>
      <input type="hidden" name="networkId" value={networkId} />
      {requests.map((request) => (
        <div className="govuk-summary-card" key={request.membershipId}>
          <div className="govuk-summary-card__title-wrapper">
            <h3 className="govuk-summary-card__title">{request.name}</h3>
          </div>
          <div className="govuk-summary-card__content">
            <dl className="govuk-summary-list">
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Asked to join</dt>
                <dd className="govuk-summary-list__value">{formatDay(request.requestedAt)}</dd>
              </div>
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Their note</dt>
                <dd className="govuk-summary-list__value">{request.note ? <Lines text={request.note} /> : "No note"}</dd>
              </div>
            </dl>
            <div className="govuk-button-group">
              <button type="submit" name="membershipId" value={request.membershipId} className="govuk-button" data-module="govuk-button">
                Approve<span className="govuk-visually-hidden"> the request from {request.name}</span>
              </button>
              <a
                className="govuk-button govuk-button--secondary"
                href={`/networks/${slug}/manage/requests/${request.membershipId}/decline`}
              >
                Decline<span className="govuk-visually-hidden"> the request from {request.name}</span>
              </a>
            </div>
          </div>
        </div>
      ))}
    </form>
  );
}
