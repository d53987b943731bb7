/**
 * "The last one asked wins", for requests whose answers may arrive out of order (a file chosen while another is
 * read, a profile asked for again with other settings). Each request is numbered when asked; its answer counts only
 * while no later request was asked — here, or in the requests it depends on (a profile of a file since replaced).
 */
export class Latest {
  private asked = 0;

  /** How many requests were asked so far. */
  get count(): number {
    return this.asked;
  }

  /** A new request; `replaced()` turns true once a later one is asked here or in any of `dependsOn`. */
  ask(...dependsOn: Latest[]): { replaced: () => boolean } {
    const mine = ++this.asked;
    const seen = dependsOn.map((d) => d.asked);
    return { replaced: () => mine !== this.asked || dependsOn.some((d, i) => d.asked !== seen[i]) };
  }
}
