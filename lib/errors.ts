// Thrown by the data access layer when a row does not exist or the viewer may not see it: both become a 404,
// so "not yours" and "does not exist" cannot be told apart.
export class NotFoundError extends Error {
  constructor(readonly objectType: string) {
    super(`${objectType} not found`);
    this.name = "NotFoundError";
  }
}
