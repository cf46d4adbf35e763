import { TrailingSingleFlight } from "../../src/core/single-flight";

describe("TrailingSingleFlight", () => {
  it("answers every caller from a run that began after it called, with at most one run waiting", async () => {
    const f = new TrailingSingleFlight();
    const starts: number[] = [];
    let clock = 0;
    let release: (() => void) | null = null;
    const fn = () => {
      starts.push(clock);
      return new Promise<void>((r) => (release = r));
    };
    const called: number[] = [];
    const calls = Array.from({ length: 5 }, () => {
      called.push(++clock);
      return f.run("k", fn);
    });
    expect(starts).toEqual([1]); // first caller runs at once; the four others share the next run
    release!();
    await calls[0];
    await new Promise((r) => setImmediate(r));
    expect(starts).toEqual([1, 5]);
    release!();
    await Promise.all(calls);
    expect(starts.length).toBe(2);
    for (const c of called.slice(1)) expect(starts[1]).toBeGreaterThanOrEqual(c);
    // Other keys do not wait, and a failed run fails its callers only.
    await expect(f.run("other", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(f.run("other", async () => undefined)).resolves.toBeUndefined();
  });
});
