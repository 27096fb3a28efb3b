import { expect, signIn, test } from "./fixtures";

test("staff member signs in through the identity provider", async ({ page }) => {
  await signIn(page, "staff", "/account");
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByText("alex.staff@example.org")).toBeVisible();
});
