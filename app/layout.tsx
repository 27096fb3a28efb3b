import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";

import { ExitThisPage } from "@/components/exit-this-page";
import { Footer } from "@/components/govuk/footer";
import { FrontendSupported } from "@/components/govuk/frontend-supported";
import { Header } from "@/components/govuk/header";
import { ServiceNavigation, type NavigationItem } from "@/components/govuk/service-navigation";
import { SkipLink } from "@/components/govuk/skip-link";
import { ListenToPage } from "@/components/listen-to-page";
import { countUnread } from "@/db/queries/notifications";
import type { TextSize } from "@/db/schema";
import { currentUser, type SessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

import "./globals.scss";

// Every page depends on who is signed in (roles, text size), so nothing is prerendered.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  // Page titles never contain a person's name or anything from a request: they show in history and tab lists.
  title: { template: "%s – Confide", default: "Confide" },
  robots: { index: false, follow: false },
  // An empty icon stops browsers asking for /favicon.ico on every page (there is no force icon yet).
  icons: { icon: "data:," },
};

export const viewport: Viewport = { themeColor: "#13284c" };

// The text size preference is applied here, on the server, as a class on <html>: it works without JavaScript and
// there is no flash of small text while a script catches up. The sizes themselves are in globals.scss.
const TEXT_SIZE_CLASSES: Record<TextSize, string> = {
  standard: "govuk-template",
  large: "govuk-template confide-text-large",
  larger: "govuk-template confide-text-larger",
};

function navigationFor(user: SessionUser): NavigationItem[] {
  return [
    { href: "/", text: "Home" },
    { href: "/supporters", text: "Find a supporter" },
    { href: "/networks", text: "Networks" },
    { href: "/requests", text: "My requests" },
    ...(user.supporterId ? [{ href: "/inbox", text: "Inbox" }] : []),
    ...user.coordinates.map((network) => ({
      href: `/networks/${encodeURIComponent(network.slug)}/manage`,
      text: `Manage ${network.name}`,
    })),
    ...(user.isEqualityUnit ? [{ href: "/admin", text: "Admin" }] : []),
    { href: "/account", text: "Account" },
  ];
}

// Not one of the navigation items because its text has a visually hidden part: "Notifications (2 unread)" to a
// screen reader, "Notifications (2)" on screen. The path comes from the proxy, as the layout renders on the server.
function NotificationsItem({ unread, current }: { unread: number; current: boolean }) {
  const text = (
    <>
      Notifications
      {unread > 0 && (
        <>
          {" "}({unread}
          <span className="govuk-visually-hidden"> unread</span>)
        </>
      )}
    </>
  );
  return (
    <li className={current ? "govuk-service-navigation__item govuk-service-navigation__item--active" : "govuk-service-navigation__item"}>
      <a className="govuk-service-navigation__link" href="/notifications" aria-current={current ? "page" : undefined}>
        {current ? <strong className="govuk-service-navigation__active-fallback">{text}</strong> : text}
      </a>
    </li>
  );
}

// Pages call requireUser() themselves; the layout only asks who is signed in, because signed-out pages (signed
// out, sign-in problem, not found) share it. No inline scripts: the CSP nonce is not needed here.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  const unread = user ? countUnread(user) : 0;
  const path = (await headers()).get("x-confide-path") ?? "";
  const { FORCE_NAME, QUICK_EXIT_URL } = env();
  const htmlClass = TEXT_SIZE_CLASSES[user?.textSize ?? "standard"];

  return (
    <html lang="en-GB" className={htmlClass}>
      <body className="govuk-template__body">
        <FrontendSupported />
        <SkipLink />
        <ExitThisPage url={QUICK_EXIT_URL} />
        <header className="govuk-template__header">
          <Header organisationName={FORCE_NAME} />
          <ServiceNavigation
            serviceName="Confide"
            serviceHref="/"
            items={user ? navigationFor(user) : []}
            navigationEnd={
              user ? (
                <>
                  <NotificationsItem unread={unread} current={path === "/notifications"} />
                  {/* GOV.UK puts "Sign out" last in the service navigation. It is a button in a POST form, not a link:
                      signing out changes state, so it must not happen on a GET (a prefetch, a crawler, a pasted link). */}
                  <li className="govuk-service-navigation__item">
                    <form method="post" action="/signout" className="confide-sign-out">
                      <button type="submit" className="govuk-service-navigation__link confide-sign-out__button">
                        Sign out
                      </button>
                    </form>
                  </li>
                </>
              ) : undefined
            }
          />
        </header>
        <div className="govuk-width-container">
          <main className="govuk-main-wrapper" id="main-content">
            <ListenToPage />
            {children}
          </main>
        </div>
        <footer className="govuk-template__footer">
          <Footer
            links={[
              { href: "/help", text: "Help" },
              { href: "/accessibility", text: "Accessibility" },
              // Feedback needs a signed-in person (even anonymous feedback is rate-limited per person).
              ...(user ? [{ href: "/feedback", text: "Feedback" }] : []),
            ]}
            copyright={`© ${FORCE_NAME}`}
          />
        </footer>
      </body>
    </html>
  );
}
