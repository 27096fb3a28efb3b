import { Button } from "@/components/govuk/button";

// "Your data" on /account. The download is a plain form posting to a route handler, so it works without
// JavaScript and the browser saves the file without leaving the page.
export function YourData() {
  return (
    <section aria-labelledby="your-data" className="govuk-!-margin-top-8">
      <h2 className="govuk-heading-m" id="your-data">
        Your data
      </h2>
      <p className="govuk-body">
        You can download everything Confide holds about you: your profile, roles and networks, the requests you made with
        their messages, your notifications and the feedback you sent with your name. The file is in JSON, a format
        computers can read; keep it somewhere safe, as it may hold what you wrote in confidence.
      </p>
      <form method="post" action="/account/data">
        <Button variant="secondary">Download your data</Button>
      </form>
      <p className="govuk-body">
        You can also <a className="govuk-link" href="/account/erase">erase your data</a>. You will be asked to confirm
        first.
      </p>
    </section>
  );
}
