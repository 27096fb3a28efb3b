import { expect, test } from "./fixtures";
import { expectNoAxeViolations } from "./helpers";

test("the Equality Unit's Admin link leads to every part of the console", async ({ as }) => {
  const page = await as("equalityUnit");
  await page.getByRole("link", { name: "Admin", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1, name: "Equality Unit" })).toBeVisible();
  for (const [name, path] of [
    ["Supporter roster", "/admin/supporters"],
    ["Roster health", "/admin/supporters/health"],
    ["Staff support networks", "/admin/networks"],
    ["Staff records", "/admin/staff"],
    ["Reports", "/admin/reports"],
    ["Audit log", "/admin/audit"],
    ["Feedback", "/admin/feedback"],
  ] as const) {
    await expect(page.getByRole("main").getByRole("link", { name, exact: true })).toHaveAttribute("href", path);
  }
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Staff support networks", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/networks$/);
});

for (const who of ["staff", "supporter", "coordinator"] as const) {
  test(`${who} gets 404 for /admin and sees no Admin link`, async ({ as }) => {
    const page = await as(who);
    await expect(page.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  });
}
