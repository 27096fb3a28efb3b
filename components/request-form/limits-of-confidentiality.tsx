import Link from "next/link";

// Shown in full, above the checkbox that acknowledges it, before anyone sends a request (DESIGN: "Limits of
// confidentiality"). The same limits as /help#confidentiality, in the same words.
export function LimitsOfConfidentiality({ name }: { name: string }) {
  return (
    <>
      <h2 className="govuk-heading-m" id="limits">
        The limits of confidentiality
      </h2>
      <p className="govuk-body">
        Only you and {name} will be able to read your request and your messages. The Equality Unit, network
        coordinators and other supporters cannot read them. There are limits to confidentiality:
      </p>
      <ul className="govuk-list govuk-list--bullet">
        <li>
          supporters who are police officers are bound by the Standards of Professional Behaviour, which include a duty
          to report improper conduct by colleagues
        </li>
        <li>if there is a risk of serious harm to you or someone else, a supporter may have to tell someone</li>
        <li>safeguarding concerns, for example about a child or an adult at risk, must be passed on</li>
        <li>a court or another legal order can require information to be shared</li>
      </ul>
      <p className="govuk-body">Where they can, your supporter will talk to you before sharing anything.</p>
      <p className="govuk-body">
        <Link className="govuk-link" href="/help#confidentiality" prefetch={false}>
          Read more about confidentiality and what supporters can and cannot do
        </Link>
      </p>
    </>
  );
}
