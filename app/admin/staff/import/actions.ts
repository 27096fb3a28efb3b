"use server";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { after } from "next/server";

import { applyStaffImport, startStaffImport } from "@/db/queries/staff-import";
import { postedForm, savedOrRefused, type Saved } from "@/db/validation/form";
import { readStaffFile } from "@/db/validation/staff-import";
import { requireEqualityUnitForAction } from "@/lib/auth/equality-unit";
import { NotFoundError } from "@/lib/errors";

// Upload of the staff CSV. The viewer is checked against the database before the form is read. The file is checked
// as a whole here (a bad header, size or encoding refuses it and nothing changes); its rows are applied after the
// response, in batches, while the import's page shows progress. The file itself is never stored.

export type ImportFormState = { ok: false; error: string; fieldErrors: { file: string[] } } | undefined;

function refused(error: string): ImportFormState {
  return { ok: false, error, fieldErrors: { file: [error] } };
}

export async function startImportAction(_prev: ImportFormState, posted: unknown): Promise<ImportFormState> {
  const form = postedForm(posted);
  const viewer = await requireEqualityUnitForAction("staff_import");
  const upload = form.get("file");
  if (!(upload instanceof File)) return refused("Select a CSV file");
  const read = readStaffFile({ name: upload.name, size: upload.size, bytes: new Uint8Array(await upload.arrayBuffer()) });
  if (!read.ok) return refused(read.error);
  let saved: Saved<string>;
  try {
    saved = await savedOrRefused(() => startStaffImport(viewer, read.data));
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  if (!saved.ok) return refused(saved.error);
  const importId = saved.data;
  // Runs once the redirect has been sent; applyStaffImport records any failure on the import itself.
  after(() => applyStaffImport(viewer, importId, read.data));
  revalidatePath("/admin/staff/import");
  redirect(`/admin/staff/imports/${importId}`);
}
