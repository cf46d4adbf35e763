/**
 * Runs `fn` for a key once for every caller that arrives while a run for that key is already
 * going: such callers wait for the next run, which starts after the running one ends, so every
 * caller's answer comes from a run that began after it called. At most one running and one
 * waiting run per key.
 */
export class TrailingSingleFlight {
  private readonly flights = new Map<string, { running: Promise<void> | null; next: Promise<void> | null }>();

  run(key: string, fn: () => Promise<unknown>): Promise<void> {
    let flight = this.flights.get(key);
    if (!flight) {
      flight = { running: null, next: null };
      this.flights.set(key, flight);
    }
    const f = flight;
    const start = (): Promise<void> => {
      const p = fn().then(() => undefined);
      f.running = p;
      const done = () => {
        if (f.running === p) f.running = null;
        if (!f.running && !f.next) this.flights.delete(key);
      };
      p.then(done, done);
      return p;
    };
    if (!f.running) return start();
    if (!f.next) {
      f.next = f.running
        .catch(() => undefined)
        .then(() => {
          f.next = null;
          return start();
        });
    }
    return f.next;
  }
}
