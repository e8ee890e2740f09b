/** A translation tree: nested objects of strings. Completeness is checked by a unit test. */
export interface Messages {
  [key: string]: string | Messages;
}
